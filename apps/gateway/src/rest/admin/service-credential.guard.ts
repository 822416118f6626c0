import { createParamDecorator, type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { ErrorCode } from '@gisbi/contracts';
import { DomainError } from '@gisbi/platform';

interface CredentialRequest {
  headers: Record<string, string | string[] | undefined>;
  serviceCredential?: string;
}

/** A JWT (header.payload.signature): what a GISBI user access token looks like. */
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const BEARER = /^Bearer +(\S{1,512})\s*$/i;

/**
 * Guards the sponsor routes (/admin/*, /venue/*). They take an admin API key or a venue key as
 * `Authorization: Bearer <key>`, never a user access token: a missing credential is a 401, a JWT-shaped
 * one a 403 before anything is relayed. The key itself is checked by the gifts service, which owns
 * ADMIN_API_KEYS and the venue keys (so it holds even for callers that bypass the gateway).
 */
@Injectable()
export class ServiceCredentialGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<CredentialRequest>();
    const header = request.headers['authorization'];
    const match = typeof header === 'string' ? BEARER.exec(header) : null;
    const credential = match?.[1];
    if (!credential) {
      throw DomainError.unauthorized(
        ErrorCode.unauthorized,
        'A key is required (Authorization: Bearer <key>)',
      );
    }
    if (JWT_SHAPE.test(credential)) {
      throw DomainError.forbidden(
        ErrorCode.forbidden,
        'User access tokens cannot be used here; this API takes an admin or venue key',
      );
    }
    request.serviceCredential = credential;
    return true;
  }
}

/** The key presented to a route guarded by ServiceCredentialGuard. */
export const ServiceCredential = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const request = context.switchToHttp().getRequest<CredentialRequest>();
  return request.serviceCredential ?? '';
});
