// Composite decorators for the field shapes the contract repeats, so every payload class states a
// field's rules and error codes on one line and every such field reports errors the same way.
import {
  IsBoolean,
  IsDefined,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { type ErrorCode } from '../errors/error-codes';
import { IsStorableText } from './custom-constraints';
import { withCode } from './with-code';

/** One code for every failure, or distinct codes for "absent" and "present but invalid". */
export type FieldCodes = ErrorCode | { missing: ErrorCode; invalid: ErrorCode };

function split(codes: FieldCodes): { missing: ErrorCode; invalid: ErrorCode } {
  return typeof codes === 'string' ? { missing: codes, invalid: codes } : codes;
}

/** Applies decorators in the order given, which is the order their failures are reported. */
export function composeDecorators(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => {
    for (const decorate of decorators) decorate(target, key);
  };
}

/** Default cap for ID fields: long enough for any prefixed ID, short enough to refuse junk. */
export const MAX_ID_LENGTH = 128;

/**
 * A required string. Absent, null or empty → `missing` code; not a string or too long → `invalid`.
 * `allowEmpty` keeps "" valid for fields whose length rules belong to a service.
 */
export function IsRequiredString(
  codes: FieldCodes,
  options: { maxLength?: number; allowEmpty?: boolean } = {},
): PropertyDecorator {
  const { missing, invalid } = split(codes);
  const decorators = [
    IsDefined(withCode(missing, '$property is required')),
    IsString(withCode(invalid, '$property must be a string')),
    IsStorableText(withCode(invalid)),
  ];
  if (!options.allowEmpty) decorators.push(IsNotEmpty(withCode(missing, '$property must not be empty')));
  if (options.maxLength !== undefined) {
    decorators.push(
      MaxLength(options.maxLength, withCode(invalid, '$property must be at most $constraint1 characters')),
    );
  }
  return composeDecorators(...decorators);
}

/** A required ID string (non-empty, at most MAX_ID_LENGTH characters). */
export function IsRequiredId(codes: FieldCodes): PropertyDecorator {
  return IsRequiredString(codes, { maxLength: MAX_ID_LENGTH });
}

/** An optional string; null counts as absent. */
export function IsOptionalString(
  code: ErrorCode,
  options: { minLength?: number; maxLength?: number } = {},
): PropertyDecorator {
  const decorators = [IsOptional(), IsString(withCode(code, '$property must be a string')), IsStorableText(withCode(code))];
  if (options.minLength !== undefined) {
    decorators.push(
      MinLength(options.minLength, withCode(code, '$property must be at least $constraint1 characters')),
    );
  }
  if (options.maxLength !== undefined) {
    decorators.push(
      MaxLength(options.maxLength, withCode(code, '$property must be at most $constraint1 characters')),
    );
  }
  return composeDecorators(...decorators);
}

export function IsRequiredBoolean(codes: FieldCodes): PropertyDecorator {
  const { missing, invalid } = split(codes);
  return composeDecorators(
    IsDefined(withCode(missing, '$property is required')),
    IsBoolean(withCode(invalid, '$property must be a boolean')),
  );
}

/**
 * A finite number (or integer) in [min, max]; strings are never converted. Absent values are
 * refused with the `missing` code unless `optional`, in which case absent and null are skipped.
 */
export function IsNumberBetween(
  codes: FieldCodes,
  min: number,
  max: number,
  options: { integer?: boolean; optional?: boolean } = {},
): PropertyDecorator {
  const { missing, invalid } = split(codes);
  // Integers are finite by definition; "finite" tells a client that sent 1e400 (Infinity) what is wrong.
  const kind = options.integer ? 'an integer' : 'a finite number';
  const message = `$property must be ${kind} between ${min} and ${max}`;
  return composeDecorators(
    options.optional ? IsOptional() : IsDefined(withCode(missing, '$property is required')),
    options.integer
      ? IsInt(withCode(invalid, message))
      : IsNumber({ allowNaN: false, allowInfinity: false }, withCode(invalid, message)),
    Min(min, withCode(invalid, message)),
    Max(max, withCode(invalid, message)),
  );
}
