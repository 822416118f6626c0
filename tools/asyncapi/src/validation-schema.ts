// JSON Schema of a class-validator payload class, read from class-validator's metadata storage — the
// same rules `validateInput` enforces at the gateway and in every service — with the error code each
// rule reports (`withCode`'s constraint context) listed per property as `x-error-codes`.
import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage } from 'class-validator';
import { orNull, type JsonSchema, type JsonType, type JsonValue, type SchemaRegistry } from './json-schema';

type PayloadClass = new () => object;

/** class-validator's metadata record (its class is not exported from the package root). */
type ValidationMetadata = ReturnType<
  ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']
>[number];

/** Documentation of a class and its properties (from the TypeScript source, see contract-types.ts). */
export interface ClassDocs {
  description?: string;
  properties: ReadonlyMap<string, string>;
}

export interface ValidationSchemaOptions {
  registry: SchemaRegistry;
  /** The code validateInput reports for a rule that carries none. */
  fallbackCode: string;
  isErrorCode: (value: unknown) => boolean;
  docs?: (className: string) => ClassDocs | undefined;
}

type ConstraintMapper = (schema: JsonSchema, constraints: readonly unknown[], rule: PropertyRule) => void;

/**
 * class-validator constraint names → JSON Schema. The contracts' own constraints (`ValidateBy` in
 * libs/contracts/src/validation/custom-constraints.ts) are listed by name at the end; a constraint
 * missing here is reported, never silently dropped.
 */
const CONSTRAINTS: Readonly<Record<string, ConstraintMapper>> = {
  isString: (schema) => setType(schema, 'string'),
  isNumber: (schema) => setType(schema, 'number'),
  isInt: (schema) => setType(schema, 'integer'),
  isBoolean: (schema) => setType(schema, 'boolean'),
  isObject: (schema) => setType(schema, 'object'),
  isArray: (schema) => setType(schema, 'array'),
  min: (schema, [value]) => setNumber(schema, 'minimum', value),
  max: (schema, [value]) => setNumber(schema, 'maximum', value),
  isPositive: (schema) => {
    schema.exclusiveMinimum = 0;
  },
  isNegative: (schema) => {
    schema.exclusiveMaximum = 0;
  },
  isLatitude: (schema) => Object.assign(schema, { minimum: -90, maximum: 90 }),
  isLongitude: (schema) => Object.assign(schema, { minimum: -180, maximum: 180 }),
  minLength: (schema, [value]) => setNumber(schema, 'minLength', value),
  maxLength: (schema, [value]) => setNumber(schema, 'maxLength', value),
  isLength: (schema, [min, max]) => {
    setNumber(schema, 'minLength', min);
    setNumber(schema, 'maxLength', max);
  },
  isNotEmpty: (_schema, _constraints, rule) => {
    rule.notEmpty = true;
  },
  isIn: (schema, [values]) => {
    schema.enum = jsonValues(values);
  },
  isEnum: (schema, [, values]) => {
    schema.enum = jsonValues(values);
  },
  equals: (schema, [value]) => {
    const [json] = jsonValues([value]);
    if (json !== undefined) schema.const = json;
  },
  matches: (schema, [pattern]) => {
    schema.pattern = pattern instanceof RegExp ? pattern.source : String(pattern);
  },
  isISO8601: (schema) => setFormat(schema, 'date-time'),
  isDateString: (schema) => setFormat(schema, 'date-time'),
  isUrl: (schema) => setFormat(schema, 'uri'),
  isEmail: (schema) => setFormat(schema, 'email'),
  isUuid: (schema) => setFormat(schema, 'uuid'),
  arrayMinSize: (schema, [value]) => setNumber(schema, 'minItems', value),
  arrayMaxSize: (schema, [value]) => setNumber(schema, 'maxItems', value),
  arrayNotEmpty: (schema) => {
    schema.minItems = 1;
  },
  arrayUnique: (schema) => {
    schema.uniqueItems = true;
  },
  // libs/contracts/src/validation/custom-constraints.ts
  isIsoDateTime: (schema) => setFormat(schema, 'date-time'),
  isHeadingDegrees: (schema) =>
    Object.assign(setType(schema, 'number'), { minimum: 0, exclusiveMaximum: 360 }),
  // Every string of every payload obeys it (no NUL, no unpaired surrogate), as the document's
  // description says once; a pattern on each field would add nothing a reader needs and clash with
  // fields that have patterns of their own.
  isStorableText: () => undefined,
};

/** What the rules of one property add up to. */
interface PropertyRule {
  schema: JsonSchema;
  items: JsonSchema | undefined;
  /** Has IsDefined: absent, null and undefined are refused. */
  defined: boolean;
  /** Has IsOptional: absent and null skip every other rule. */
  optional: boolean;
  /** Has ValidateIf (or a rule with `validateIf`): the rules apply only under a condition. */
  conditional: boolean;
  /** Only @Allow(): accepted and not checked. */
  allowOnly: boolean;
  notEmpty: boolean;
  nested: { schema: JsonSchema; cls: PayloadClass | undefined } | undefined;
  missingCodes: string[];
  codes: string[];
}

export class ValidationSchemas {
  private readonly codesByClass = new Map<PayloadClass, string[]>();
  private readonly unmapped: string[] = [];

  constructor(private readonly options: ValidationSchemaOptions) {}

  /** A `$ref` to the schema of `cls` in the registry (built on first use). */
  schemaOf(cls: PayloadClass, name: string = cls.name): JsonSchema {
    return this.options.registry.refTo(cls, name, () => this.build(cls));
  }

  /** Every code validation of `cls` can report, nested classes included, in first-seen order. */
  errorCodesOf(cls: PayloadClass): string[] {
    this.schemaOf(cls);
    return this.codesByClass.get(cls) ?? [];
  }

  /** Constraints met that this tool cannot express (`Class.property: name`). */
  problems(): string[] {
    return [...this.unmapped];
  }

  private build(cls: PayloadClass): JsonSchema {
    const docs = this.options.docs?.(cls.name);
    const metadata = getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false);
    const byProperty = new Map<string, ValidationMetadata[]>();
    for (const meta of metadata) {
      const list = byProperty.get(meta.propertyName) ?? [];
      list.push(meta);
      byProperty.set(meta.propertyName, list);
    }
    const properties: Record<string, JsonSchema> = {};
    const required: string[] = [];
    const classCodes: string[] = [];
    for (const [property, metas] of byProperty) {
      const rule = this.ruleOf(cls, property, metas);
      const codes = unique([...rule.missingCodes, ...rule.codes]);
      addAll(classCodes, codes);
      if (rule.nested?.cls) addAll(classCodes, this.codesByClass.get(rule.nested.cls) ?? []);
      properties[property] = this.finish(rule, codes, docs?.properties.get(property));
      if (rule.defined || (!rule.optional && !rule.conditional && !rule.allowOnly)) required.push(property);
    }
    this.codesByClass.set(cls, classCodes);
    const schema: JsonSchema = { type: 'object' };
    const description = docs?.description ?? (byProperty.size === 0 ? 'No fields.' : undefined);
    if (description) schema.description = description;
    schema.properties = properties;
    if (required.length > 0) schema.required = required;
    if (classCodes.length > 0) schema['x-error-codes'] = classCodes;
    return schema;
  }

  private ruleOf(cls: PayloadClass, property: string, metas: ValidationMetadata[]): PropertyRule {
    const rule: PropertyRule = {
      schema: {},
      items: undefined,
      defined: false,
      optional: false,
      conditional: false,
      allowOnly: metas.every((meta) => meta.type === 'whitelistValidation'),
      notEmpty: false,
      nested: undefined,
      missingCodes: [],
      codes: [],
    };
    for (const meta of metas) {
      if (meta.validateIf) rule.conditional = true;
      switch (meta.type) {
        case 'whitelistValidation':
          continue;
        case 'conditionalValidation':
          if (meta.name === 'isOptional') rule.optional = true;
          else rule.conditional = true;
          continue;
        case 'isDefined':
          rule.defined = true;
          rule.missingCodes.push(this.codeOf(meta));
          continue;
        case 'nestedValidation':
          rule.nested = this.nestedSchema(cls, property);
          rule.codes.push(this.codeOf(meta));
          continue;
        default:
          this.applyConstraint(cls, property, meta, rule);
      }
    }
    return rule;
  }

  private applyConstraint(
    cls: PayloadClass,
    property: string,
    meta: ValidationMetadata,
    rule: PropertyRule,
  ): void {
    const name = meta.name ?? meta.type;
    const mapper = CONSTRAINTS[name];
    if (!mapper) {
      this.unmapped.push(
        `${cls.name}.${property}: class-validator constraint "${name}" has no JSON Schema mapping`,
      );
      return;
    }
    const target = meta.each ? (rule.items ??= {}) : rule.schema;
    mapper(target, meta.constraints ?? [], rule);
    rule.codes.push(this.codeOf(meta));
  }

  private finish(rule: PropertyRule, codes: string[], description: string | undefined): JsonSchema {
    let schema: JsonSchema = rule.schema;
    if (rule.nested) {
      // The nested class's schema replaces the bare `type: object` of IsObject.
      const nested = rule.nested.schema;
      schema =
        schema.type === 'array' && nested.type !== 'array' ? { ...schema, items: nested } : { ...nested };
    }
    if (rule.items) schema = { ...setType({ ...schema }, 'array'), items: rule.items };
    if (rule.notEmpty) {
      if (schema.type === 'string') schema.minLength = Math.max(schema.minLength ?? 0, 1);
      else schema.not = { const: '' };
    }
    if (rule.optional) schema = orNull(schema);
    const extras: JsonSchema = {};
    if (description) extras.description = description;
    if (rule.conditional) extras['x-conditional'] = true;
    if (codes.length > 0) extras['x-error-codes'] = codes;
    if (Object.keys(extras).length === 0) return schema;
    // Siblings of $ref are ignored by draft-07; keep the ref intact and hang the extras beside an allOf.
    if (schema.$ref !== undefined) return { ...extras, allOf: [schema] };
    return { ...schema, ...extras };
  }

  private nestedSchema(cls: PayloadClass, property: string): NonNullable<PropertyRule['nested']> {
    const nested = this.nestedClass(cls, property);
    const declaredArray: unknown = Reflect.getMetadata('design:type', cls.prototype, property);
    if (nested && declaredArray === Array)
      return { schema: { type: 'array', items: this.schemaOf(nested) }, cls: nested };
    if (nested) return { schema: this.schemaOf(nested), cls: nested };
    const arrayOf = this.nestedClass(cls, property, true);
    if (arrayOf) return { schema: { type: 'array', items: this.schemaOf(arrayOf) }, cls: arrayOf };
    this.unmapped.push(`${cls.name}.${property}: @ValidateNested without a @Type(() => Class) to describe`);
    return { schema: { type: 'object' }, cls: undefined };
  }

  /** The class class-transformer builds for the property (its `@Type`), found by transforming a probe. */
  private nestedClass(cls: PayloadClass, property: string, asArray = false): PayloadClass | undefined {
    const probe: Record<string, unknown> = { [property]: asArray ? [{}] : {} };
    const value: unknown = (plainToInstance(cls, probe) as Record<string, unknown>)[property];
    const sample: unknown = asArray ? (Array.isArray(value) ? value[0] : undefined) : value;
    if (typeof sample !== 'object' || sample === null || Array.isArray(sample)) return undefined;
    const ctor: unknown = sample.constructor;
    return typeof ctor === 'function' && ctor !== Object ? (ctor as PayloadClass) : undefined;
  }

  private codeOf(meta: ValidationMetadata): string {
    const context: unknown = meta.context;
    const code =
      typeof context === 'object' && context !== null
        ? (context as Record<string, unknown>)['code']
        : undefined;
    return this.options.isErrorCode(code) ? String(code) : this.options.fallbackCode;
  }
}

function setType(schema: JsonSchema, type: JsonType): JsonSchema {
  // IsInt after IsNumber (or the reverse) narrows to integer.
  if (schema.type === 'integer' && type === 'number') return schema;
  schema.type = type;
  return schema;
}

function setFormat(schema: JsonSchema, format: string): void {
  setType(schema, 'string');
  schema.format = format;
}

type NumericKeyword = 'minimum' | 'maximum' | 'minLength' | 'maxLength' | 'minItems' | 'maxItems';

function setNumber(schema: JsonSchema, keyword: NumericKeyword, value: unknown): void {
  if (typeof value === 'number' && Number.isFinite(value)) schema[keyword] = value;
}

function jsonValues(values: unknown): JsonValue[] {
  if (!Array.isArray(values)) return [];
  return values.filter(
    (value): value is JsonValue =>
      value === null ||
      typeof value === 'string' ||
      typeof value === 'boolean' ||
      (typeof value === 'number' && Number.isFinite(value)),
  );
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function addAll(target: string[], values: readonly string[]): void {
  for (const value of values) if (!target.includes(value)) target.push(value);
}
