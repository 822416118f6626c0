import { type ErrorCode } from '../errors/error-codes';

/** class-validator options that tag a constraint with the error code a client receives for it. */
export interface CodedValidationOptions {
  context: { code: ErrorCode };
  message?: string;
}

/**
 * Use as the options of any class-validator decorator:
 * `@IsString(withCode(ErrorCode.missing_userId))`. `message` may use class-validator's tokens
 * (`$property`, `$value`, `$constraint1`).
 */
export function withCode(code: ErrorCode, message?: string): CodedValidationOptions {
  return message === undefined ? { context: { code } } : { context: { code }, message };
}
