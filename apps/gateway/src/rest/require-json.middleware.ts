import type { NextFunction, Request, Response } from 'express';
import { ErrorCode, type RestErrorBody } from '@gisbi/contracts';

/**
 * Request bodies are JSON. A body sent as anything else would otherwise be ignored silently and the
 * request would "succeed" without doing what the client meant, so it is refused with 415.
 */
export function requireJsonBodies(request: Request, response: Response, next: NextFunction): void {
  const hasBody =
    Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'] !== undefined;
  if (!hasBody || !['POST', 'PUT', 'PATCH'].includes(request.method) || request.is('application/json'))
    return next();
  const body: RestErrorBody = {
    detail: 'Request bodies must be JSON (Content-Type: application/json)',
    code: ErrorCode.validation_failed,
  };
  response.status(415).json(body);
}
