import { RpcException } from '@nestjs/microservices';

/** HTTP-style status carried with every domain error, so REST answers with the right code. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 422 | 429 | 500 | 503 | 504;

export interface DomainErrorBody {
  code: string;
  message: string;
  status: ErrorStatus;
  /** The contract's error `domain` (first segment of the event type); filled in where the command is known. */
  domain?: string;
}

/**
 * The one error type services throw for anything a client did wrong or may retry. It crosses NATS as
 * `{ ok: false, error }` and becomes a socket `error` event or a REST `{ detail, code }` at the gateway.
 */
export class DomainError extends RpcException {
  readonly code: string;
  readonly status: ErrorStatus;
  readonly domain?: string;

  constructor(code: string, message: string, status: ErrorStatus = 400, domain?: string) {
    super({ code, message, status, domain } satisfies DomainErrorBody);
    this.code = code;
    this.status = status;
    this.domain = domain;
    this.message = message;
    this.name = 'DomainError';
  }

  toBody(): DomainErrorBody {
    return { code: this.code, message: this.message, status: this.status, ...(this.domain ? { domain: this.domain } : {}) };
  }

  static badRequest(code: string, message: string): DomainError {
    return new DomainError(code, message, 400);
  }
  static unauthorized(code: string, message: string): DomainError {
    return new DomainError(code, message, 401);
  }
  static forbidden(code: string, message: string): DomainError {
    return new DomainError(code, message, 403);
  }
  static notFound(code: string, message: string): DomainError {
    return new DomainError(code, message, 404);
  }
  static conflict(code: string, message: string): DomainError {
    return new DomainError(code, message, 409);
  }
  static tooMany(code: string, message: string): DomainError {
    return new DomainError(code, message, 429);
  }

  static isBody(value: unknown): value is DomainErrorBody {
    return (
      typeof value === 'object' &&
      value !== null &&
      typeof (value as DomainErrorBody).code === 'string' &&
      typeof (value as DomainErrorBody).message === 'string'
    );
  }

  static fromBody(body: DomainErrorBody): DomainError {
    return new DomainError(body.code, body.message, body.status ?? 400, body.domain);
  }
}
