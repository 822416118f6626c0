import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { Response } from 'express';
import { ErrorCode, type RestErrorBody } from '@gisbi/contracts';
import { DomainError } from '@gisbi/platform';

const CODE_BY_STATUS: Record<number, string> = {
  400: ErrorCode.validation_failed,
  401: ErrorCode.unauthorized,
  403: ErrorCode.forbidden,
  404: ErrorCode.not_found,
  409: ErrorCode.conflict,
  413: ErrorCode.payload_too_large,
  429: ErrorCode.rate_limited,
  503: ErrorCode.service_unavailable,
  504: ErrorCode.timeout,
};

/** Every REST error leaves as `{ detail, code }` with its HTTP status; internals never leak. */
@Catch()
export class RestExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(RestExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const response = host.switchToHttp().getResponse<Response>();
    const { status, body } = this.toResponse(exception);
    response.status(status).json(body);
  }

  private toResponse(exception: unknown): { status: number; body: RestErrorBody } {
    if (exception instanceof DomainError) {
      return { status: exception.status, body: { detail: exception.message, code: exception.code } };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      // Express body parsing failures reach us as a 400 wrapping the parser's SyntaxError.
      if (
        status === HttpStatus.BAD_REQUEST &&
        (exception.cause instanceof SyntaxError || /JSON/.test(exception.message))
      ) {
        return { status, body: { detail: 'Request body is not valid JSON', code: ErrorCode.invalid_json } };
      }
      const response = exception.getResponse();
      const detail =
        typeof response === 'string'
          ? response
          : typeof (response as { message?: unknown }).message === 'string'
            ? String((response as { message: string }).message)
            : exception.message;
      return { status, body: { detail, code: CODE_BY_STATUS[status] ?? `http_${status}` } };
    }
    // body-parser errors (malformed JSON, too large) carry a status but are not HttpExceptions
    const parserStatus = (exception as { status?: unknown; type?: unknown })?.status;
    if (typeof parserStatus === 'number' && parserStatus >= 400 && parserStatus < 500) {
      const tooLarge = parserStatus === HttpStatus.PAYLOAD_TOO_LARGE;
      return {
        status: parserStatus,
        body: {
          detail: tooLarge ? 'Request body is too large' : 'Request body is not valid JSON',
          code: tooLarge ? ErrorCode.payload_too_large : ErrorCode.invalid_json,
        },
      };
    }
    this.logger.error(
      exception instanceof Error ? (exception.stack ?? exception.message) : String(exception),
    );
    return {
      status: 500,
      body: { detail: 'Something went wrong on our side', code: ErrorCode.internal_error },
    };
  }
}
