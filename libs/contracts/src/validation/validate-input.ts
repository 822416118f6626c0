import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync, type ValidationError } from 'class-validator';
import { ErrorCode, isErrorCode } from '../errors/error-codes';
import {
  describeShapeProblem,
  findUnstorableText,
  inspectInputShape,
  unstorableTextMessage,
  type InputShapeProblem,
} from './input-shape';

export type ValidationResult<T> =
  | { ok: true; value: T }
  | {
      ok: false;
      code: ErrorCode;
      message: string;
      /** Dotted path of the offending field. */ field?: string;
    };

export interface ValidateInputOptions {
  /** Code for failures whose constraint carries none (default invalid_payload). */
  fallbackCode?: ErrorCode;
  /** Refuse fields the schema does not declare instead of silently dropping them. */
  forbidUnknown?: boolean;
}

/**
 * Turns untrusted input (a socket payload, a REST body, a NATS message) into an instance of
 * `schema`, or reports the first broken rule with its contract error code and a message naming the
 * field. Never throws. Values are not coerced: "6.5" is not a number.
 * An absent payload (undefined) is validated as `{}`, so a missing field gets its own code. Before any
 * rule, the input's structure is checked (see input-shape.ts): a prototype key (`__proto__`,
 * `constructor`, `prototype`) at any depth is an unknown field, and nesting deeper than
 * MAX_INPUT_DEPTH levels is refused, both with the fallback code. After the rules (so that a field with
 * its own text rule, such as chat content, answers with its own code), a kept string holding NUL or an
 * unpaired surrogate is refused with the fallback code: no database column could store it.
 */
export function validateInput<T extends object>(
  schema: new () => T,
  input: unknown,
  options: ValidateInputOptions = {},
): ValidationResult<T> {
  const fallbackCode = options.fallbackCode ?? ErrorCode.invalid_payload;
  const plain = input === undefined ? {} : input;
  if (!isPlainRecord(plain)) {
    return { ok: false, code: fallbackCode, message: 'payload must be a JSON object' };
  }
  // Prototype keys are refused even where other unknown fields are dropped: they are never data.
  const { problem } = inspectInputShape(plain);
  if (problem) return shapeFailure(problem, fallbackCode);
  const forbidUnknown = options.forbidUnknown ?? false;
  try {
    // class-validator refuses a class with no rules at all (forbidUnknownValues), so rule-less
    // payloads such as `{}` requests are checked here.
    if (!hasValidationRules(schema)) {
      const unknownKey = Object.keys(plain)[0];
      if (forbidUnknown && unknownKey !== undefined) return unknownField(unknownKey, fallbackCode);
      return { ok: true, value: new schema() };
    }
    const instance = plainToInstance(schema, plain);
    const errors = validateSync(instance, {
      whitelist: true,
      forbidNonWhitelisted: forbidUnknown,
      forbidUnknownValues: true,
      stopAtFirstError: true,
      validationError: { target: false, value: true },
    });
    const failure = firstFailure(errors, []);
    if (failure) return describe(failure, fallbackCode);
    const unstorable = findUnstorableText(instance);
    if (unstorable !== undefined) {
      return { ok: false, code: fallbackCode, message: unstorableTextMessage(unstorable), field: unstorable };
    }
    return { ok: true, value: instance };
  } catch {
    // A schema bug must not become a crash driven by client input.
    return { ok: false, code: fallbackCode, message: 'payload could not be validated' };
  }
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether a schema declares any rule; schemas never change at runtime, so this is asked once each. */
const schemaHasRules = new WeakMap<new () => object, boolean>();

function hasValidationRules(schema: new () => object): boolean {
  let known = schemaHasRules.get(schema);
  if (known === undefined) {
    known = getMetadataStorage().getTargetValidationMetadatas(schema, '', true, false).length > 0;
    schemaHasRules.set(schema, known);
  }
  return known;
}

interface Failure {
  path: string[];
  error: ValidationError;
  constraint: string;
  message: string;
}

/** Depth-first, in declaration order: the first property with a failed constraint wins. */
function firstFailure(errors: ValidationError[], parentPath: string[]): Failure | undefined {
  for (const error of errors) {
    const path = [...parentPath, error.property];
    const constraints = Object.entries(error.constraints ?? {});
    const first = constraints.find(([name]) => name === 'isDefined') ?? constraints[0];
    if (first) return { path, error, constraint: first[0], message: first[1] };
    const nested = firstFailure(error.children ?? [], path);
    if (nested) return nested;
  }
  return undefined;
}

function describe(failure: Failure, fallbackCode: ErrorCode): ValidationResult<never> {
  const field = failure.path.join('.');
  if (failure.constraint === 'whitelistValidation') return unknownField(field, fallbackCode);
  const context: unknown = failure.error.contexts?.[failure.constraint];
  const contextCode = isPlainRecord(context) ? context['code'] : undefined;
  const code = isErrorCode(contextCode) ? contextCode : fallbackCode;
  let message: string;
  if (failure.error.value === undefined) {
    message = `${field} is required`;
  } else if (failure.message.startsWith(`${failure.error.property} `)) {
    // Messages name the property; nested fields are named by their full path instead.
    message = field + failure.message.slice(failure.error.property.length);
  } else {
    message = `${field}: ${failure.message}`;
  }
  return { ok: false, code, message, field };
}

function shapeFailure(problem: InputShapeProblem, code: ErrorCode): ValidationResult<never> {
  return { ok: false, code, message: describeShapeProblem(problem), field: problem.field };
}

function unknownField(field: string, code: ErrorCode): ValidationResult<never> {
  return { ok: false, code, message: `${field} is not an accepted field`, field };
}
