// The JSON Schema subset (draft-07, which AsyncAPI 3.0's Schema Object extends) this tool writes, a
// registry for `components.schemas`, and a small checker used to prove every example in the document
// matches the schema next to it.

/** A JSON value, as written to the document. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null';

export interface JsonSchema {
  $ref?: string;
  title?: string;
  description?: string;
  type?: JsonType | JsonType[];
  const?: JsonValue;
  enum?: JsonValue[];
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  items?: JsonSchema | JsonSchema[];
  additionalItems?: boolean;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  allOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  not?: JsonSchema;
  [extension: `x-${string}`]: JsonValue | undefined;
}

export const SCHEMA_REF_PREFIX = '#/components/schemas/';

export type SchemaResolver = (ref: string) => JsonSchema | undefined;

/**
 * Named schemas for `components.schemas`. Each identity (a class, a TypeScript symbol) gets one name;
 * a second identity wanting a taken name gets a numbered one. The ref exists before the schema is
 * built, so recursive types terminate.
 */
export class SchemaRegistry {
  private readonly schemas = new Map<string, JsonSchema>();
  private readonly names = new Map<unknown, string>();

  refTo(identity: unknown, preferredName: string, build: () => JsonSchema): JsonSchema {
    let name = this.names.get(identity);
    if (name === undefined) {
      name = this.freeName(preferredName);
      this.names.set(identity, name);
      this.schemas.set(name, {});
      this.schemas.set(name, build());
    }
    return { $ref: SCHEMA_REF_PREFIX + name };
  }

  readonly resolve: SchemaResolver = (ref) =>
    ref.startsWith(SCHEMA_REF_PREFIX) ? this.schemas.get(ref.slice(SCHEMA_REF_PREFIX.length)) : undefined;

  /** Every schema, sorted by name so the document is stable. */
  components(): Record<string, JsonSchema> {
    const sorted = [...this.schemas.keys()].sort((a, b) => a.localeCompare(b));
    return Object.fromEntries(sorted.map((name) => [name, this.schemas.get(name) ?? {}]));
  }

  private freeName(preferred: string): string {
    if (!this.schemas.has(preferred)) return preferred;
    let n = 2;
    while (this.schemas.has(`${preferred}${n}`)) n++;
    return `${preferred}${n}`;
  }
}

/** `{ $ref }` alone, or wrapped so a description survives (draft-07 ignores siblings of `$ref`). */
export function describedRef(ref: JsonSchema, description: string | undefined): JsonSchema {
  return description ? { description, allOf: [ref] } : ref;
}

/** The schema that also accepts null. */
export function orNull(schema: JsonSchema): JsonSchema {
  if (
    schema.$ref !== undefined ||
    schema.allOf ||
    schema.anyOf ||
    schema.oneOf ||
    schema.type === undefined
  ) {
    return { anyOf: [schema, { type: 'null' }] };
  }
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  const result: JsonSchema = { ...schema, type: types.includes('null') ? types : [...types, 'null'] };
  if (schema.enum && !schema.enum.includes(null)) result.enum = [...schema.enum, null];
  if (schema.const !== undefined) {
    delete result.const;
    result.enum = [schema.const, null];
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------
// Checking values against schemas

export interface CheckOptions {
  /**
   * Report object keys the schema does not declare even where it leaves additionalProperties open:
   * an example must not show a field the contract does not have.
   */
  strict?: boolean;
}

// ISO-8601 date-time with a zone, as the contract's timestamps are written.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Every way `value` breaks `schema`, as `path: problem` lines; empty when it matches. */
export function checkValue(
  value: unknown,
  schema: JsonSchema,
  resolve: SchemaResolver,
  options: CheckOptions = {},
): string[] {
  return new SchemaChecker(resolve, options.strict ?? false).check(value, schema, '$', false);
}

class SchemaChecker {
  constructor(
    private readonly resolve: SchemaResolver,
    private readonly strict: boolean,
  ) {}

  check(value: unknown, schema: JsonSchema, path: string, insideAllOf: boolean): string[] {
    if (schema.$ref !== undefined) {
      const target = this.resolve(schema.$ref);
      if (!target) return [`${path}: unresolved $ref ${schema.$ref}`];
      return this.check(value, target, path, insideAllOf);
    }
    const errors: string[] = [];
    for (const part of schema.allOf ?? []) errors.push(...this.check(value, part, path, true));
    if (schema.anyOf && !schema.anyOf.some((branch) => this.check(value, branch, path, false).length === 0)) {
      errors.push(`${path}: matches none of the allowed shapes`);
    }
    if (schema.oneOf) {
      const matching = schema.oneOf.filter((branch) => this.check(value, branch, path, false).length === 0);
      if (matching.length !== 1)
        errors.push(`${path}: matches ${matching.length} of the oneOf shapes, not 1`);
    }
    if (schema.not && this.check(value, schema.not, path, false).length === 0) {
      errors.push(`${path}: matches a forbidden shape`);
    }
    if (schema.type !== undefined) {
      const types = Array.isArray(schema.type) ? schema.type : [schema.type];
      if (!types.some((type) => hasType(value, type))) {
        return [...errors, `${path}: expected ${types.join(' or ')}, got ${describeType(value)}`];
      }
    }
    if (schema.const !== undefined && !sameJson(value, schema.const)) {
      errors.push(`${path}: expected ${JSON.stringify(schema.const)}`);
    }
    if (schema.enum && !schema.enum.some((option) => sameJson(value, option))) {
      errors.push(`${path}: expected one of ${JSON.stringify(schema.enum)}`);
    }
    if (typeof value === 'string') errors.push(...this.checkString(value, schema, path));
    if (typeof value === 'number') errors.push(...this.checkNumber(value, schema, path));
    if (Array.isArray(value)) errors.push(...this.checkArray(value, schema, path));
    else if (isRecord(value)) errors.push(...this.checkObject(value, schema, path, insideAllOf));
    return errors;
  }

  private checkString(value: string, schema: JsonSchema, path: string): string[] {
    const errors: string[] = [];
    if (schema.minLength !== undefined && value.length < schema.minLength)
      errors.push(`${path}: shorter than ${schema.minLength}`);
    if (schema.maxLength !== undefined && value.length > schema.maxLength)
      errors.push(`${path}: longer than ${schema.maxLength}`);
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value))
      errors.push(`${path}: does not match ${schema.pattern}`);
    if (schema.format === 'date-time' && !DATE_TIME.test(value))
      errors.push(`${path}: not an ISO-8601 date-time`);
    return errors;
  }

  private checkNumber(value: number, schema: JsonSchema, path: string): string[] {
    const errors: string[] = [];
    if (schema.minimum !== undefined && value < schema.minimum)
      errors.push(`${path}: below ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum)
      errors.push(`${path}: above ${schema.maximum}`);
    if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum)
      errors.push(`${path}: not above ${schema.exclusiveMinimum}`);
    if (schema.exclusiveMaximum !== undefined && value >= schema.exclusiveMaximum)
      errors.push(`${path}: not below ${schema.exclusiveMaximum}`);
    return errors;
  }

  private checkArray(value: unknown[], schema: JsonSchema, path: string): string[] {
    const errors: string[] = [];
    if (schema.minItems !== undefined && value.length < schema.minItems)
      errors.push(`${path}: fewer than ${schema.minItems} items`);
    if (schema.maxItems !== undefined && value.length > schema.maxItems)
      errors.push(`${path}: more than ${schema.maxItems} items`);
    const { items } = schema;
    if (Array.isArray(items)) {
      items.forEach((itemSchema, index) => {
        if (index < value.length)
          errors.push(...this.check(value[index], itemSchema, `${path}[${index}]`, false));
      });
      if (schema.additionalItems === false && value.length > items.length)
        errors.push(`${path}: more than ${items.length} items`);
    } else if (items) {
      value.forEach((item, index) => errors.push(...this.check(item, items, `${path}[${index}]`, false)));
    }
    return errors;
  }

  private checkObject(
    value: Record<string, unknown>,
    schema: JsonSchema,
    path: string,
    insideAllOf: boolean,
  ): string[] {
    const errors: string[] = [];
    for (const key of schema.required ?? []) {
      if (!Object.hasOwn(value, key)) errors.push(`${path}.${key}: required`);
    }
    const properties = schema.properties ?? {};
    for (const [key, propertySchema] of Object.entries(properties)) {
      if (Object.hasOwn(value, key))
        errors.push(...this.check(value[key], propertySchema, `${path}.${key}`, false));
    }
    const { additionalProperties } = schema;
    // Within allOf, a branch sees only its own properties; undeclared keys are judged by the whole.
    if (insideAllOf && additionalProperties === undefined) return errors;
    const declared = this.declaredProperties(schema);
    // Strictness applies to schemas that describe a shape; a bare `type: object` accepts any object.
    const strict =
      this.strict &&
      additionalProperties === undefined &&
      !schema.anyOf &&
      !schema.oneOf &&
      declaresShape(schema, this.resolve);
    for (const key of Object.keys(value)) {
      if (declared.has(key)) continue;
      if (typeof additionalProperties === 'object') {
        errors.push(...this.check(value[key], additionalProperties, `${path}.${key}`, false));
      } else if (additionalProperties === false || strict) {
        errors.push(`${path}.${key}: not a declared property`);
      }
    }
    return errors;
  }

  private declaredProperties(schema: JsonSchema): Set<string> {
    const names = new Set(Object.keys(schema.properties ?? {}));
    for (const part of schema.allOf ?? []) {
      const resolved = part.$ref === undefined ? part : this.resolve(part.$ref);
      if (resolved) for (const name of this.declaredProperties(resolved)) names.add(name);
    }
    return names;
  }
}

function declaresShape(schema: JsonSchema, resolve: SchemaResolver): boolean {
  if (schema.properties !== undefined) return true;
  return (schema.allOf ?? []).some((part) => {
    const resolved = part.$ref === undefined ? part : resolve(part.$ref);
    return resolved !== undefined && declaresShape(resolved, resolve);
  });
}

function hasType(value: unknown, type: JsonType): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isRecord(value);
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    default:
      return typeof value === type;
  }
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
