import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  Allow,
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  ErrorCode,
  IsIsoDateTime,
  isErrorCode,
  IsRequiredId,
  ProximityTokenPayload,
  withCode,
} from '@gisbi/contracts';
import { SchemaRegistry, type JsonSchema } from './json-schema';
import { ValidationSchemas, type ClassDocs } from './validation-schema';

class Point {
  @IsNumber({}, withCode(ErrorCode.invalid_location))
  @Min(-90, withCode(ErrorCode.invalid_location))
  @Max(90, withCode(ErrorCode.invalid_location))
  lat!: number;
}

class Sample {
  @IsDefined(withCode(ErrorCode.missing_userId))
  @IsString(withCode(ErrorCode.invalid_payload))
  @Length(2, 10, withCode(ErrorCode.invalid_payload))
  name!: string;

  @IsOptional()
  @IsInt(withCode(ErrorCode.invalid_limit))
  @Min(1, withCode(ErrorCode.invalid_limit))
  limit?: number;

  @IsBoolean()
  flag!: boolean;

  @IsIn(['ios', 'android'], withCode(ErrorCode.validation_failed))
  platform!: string;

  @IsObject(withCode(ErrorCode.invalid_location))
  @ValidateNested(withCode(ErrorCode.invalid_location))
  @Type(() => Point)
  point!: Point;

  @IsArray(withCode(ErrorCode.validation_failed))
  @ArrayMaxSize(3, withCode(ErrorCode.validation_failed))
  @IsString({ each: true, ...withCode(ErrorCode.validation_failed) })
  @MaxLength(5, { each: true, ...withCode(ErrorCode.validation_failed) })
  tags!: string[];

  @ValidateIf((_object: unknown, value: unknown) => value !== undefined)
  @IsString(withCode(ErrorCode.invalid_payload))
  nickname?: string | null;

  @Allow()
  ignored?: unknown;

  @IsOptional()
  @IsIsoDateTime(withCode(ErrorCode.invalid_payload))
  at?: string;
}

class WithList {
  @ValidateNested({ each: true })
  @Type(() => Point)
  points!: Point[];
}

class Exotic {
  @ValidateBy({ name: 'isPalindrome', validator: { validate: () => true } })
  word!: string;
}

class Untyped {
  @ValidateNested()
  thing!: object;
}

class Empty {}

describe(ValidationSchemas.name, () => {
  const docs = new Map<string, ClassDocs>([
    ['Sample', { description: 'A sample payload.', properties: new Map([['name', 'Display name.']]) }],
  ]);
  const setup = (): { sut: ValidationSchemas; registry: SchemaRegistry } => {
    const registry = new SchemaRegistry();
    const sut = new ValidationSchemas({
      registry,
      fallbackCode: ErrorCode.invalid_payload,
      isErrorCode,
      docs: (name) => docs.get(name),
    });
    return { sut, registry };
  };
  const componentOf = (
    cls: new () => object,
  ): { schema: JsonSchema; sut: ValidationSchemas; registry: SchemaRegistry } => {
    const { sut, registry } = setup();
    const ref = sut.schemaOf(cls);
    return { schema: registry.resolve(ref.$ref ?? '') ?? {}, sut, registry };
  };

  it('answers a ref to a component named after the class', () => {
    const { sut } = setup();

    expect(sut.schemaOf(Sample)).toEqual({ $ref: '#/components/schemas/Sample' });
    expect(sut.schemaOf(Sample, 'Renamed')).toEqual({ $ref: '#/components/schemas/Sample' });
  });

  it('maps type, length and range constraints with their error codes', () => {
    const { schema } = componentOf(Sample);

    expect(schema.description).toBe('A sample payload.');
    expect(schema.properties?.['name']).toEqual({
      type: 'string',
      minLength: 2,
      maxLength: 10,
      description: 'Display name.',
      'x-error-codes': ['missing_userId', 'invalid_payload'],
    });
    expect(schema.properties?.['flag']).toEqual({ type: 'boolean', 'x-error-codes': ['invalid_payload'] });
    expect(schema.properties?.['platform']).toEqual({
      enum: ['ios', 'android'],
      'x-error-codes': ['validation_failed'],
    });
  });

  it('makes IsOptional fields optional and nullable', () => {
    const { schema } = componentOf(Sample);

    expect(schema.properties?.['limit']).toEqual({
      type: ['integer', 'null'],
      minimum: 1,
      'x-error-codes': ['invalid_limit'],
    });
    expect(schema.properties?.['at']).toEqual({
      type: ['string', 'null'],
      format: 'date-time',
      'x-error-codes': ['invalid_payload'],
    });
    expect(schema.required).toEqual(['name', 'flag', 'platform', 'point', 'tags']);
  });

  it('marks ValidateIf fields conditional and @Allow fields unchecked', () => {
    const { schema } = componentOf(Sample);

    expect(schema.properties?.['nickname']).toEqual({
      type: 'string',
      'x-conditional': true,
      'x-error-codes': ['invalid_payload'],
    });
    expect(schema.properties?.['ignored']).toEqual({});
  });

  it('applies `each` constraints to the items of an array', () => {
    const { schema } = componentOf(Sample);

    expect(schema.properties?.['tags']).toEqual({
      type: 'array',
      maxItems: 3,
      items: { type: 'string', maxLength: 5 },
      'x-error-codes': ['validation_failed'],
    });
  });

  it('refers to the nested class of ValidateNested and collects its codes', () => {
    const { schema, sut, registry } = componentOf(Sample);

    expect(schema.properties?.['point']).toEqual({
      'x-error-codes': ['invalid_location'],
      allOf: [{ $ref: '#/components/schemas/Point' }],
    });
    expect(registry.resolve('#/components/schemas/Point')).toEqual({
      type: 'object',
      properties: {
        lat: { type: 'number', minimum: -90, maximum: 90, 'x-error-codes': ['invalid_location'] },
      },
      required: ['lat'],
      'x-error-codes': ['invalid_location'],
    });
    expect(sut.errorCodesOf(Sample)).toEqual([
      'missing_userId',
      'invalid_payload',
      'invalid_limit',
      'validation_failed',
      'invalid_location',
    ]);
  });

  it('describes an array of nested classes', () => {
    const { schema } = componentOf(WithList);

    expect(schema.properties?.['points']).toEqual({
      type: 'array',
      items: { $ref: '#/components/schemas/Point' },
      'x-error-codes': ['invalid_payload'],
    });
  });

  it('describes a class with no rules as an object with no fields', () => {
    expect(componentOf(Empty).schema).toEqual({ type: 'object', description: 'No fields.', properties: {} });
  });

  it('reads the contracts’ composite decorators', () => {
    const { schema } = componentOf(ProximityTokenPayload);

    expect(schema.properties?.['rssi']).toEqual({
      type: 'number',
      minimum: -127,
      maximum: 0,
      'x-error-codes': ['missing_rssi', 'invalid_rssi'],
    });
    expect(schema.properties?.['token']).toMatchObject({
      type: 'string',
      minLength: 1,
      maxLength: 64,
      'x-error-codes': ['missing_token', 'invalid_token'],
    });
  });

  it('reports a constraint it cannot express instead of dropping it', () => {
    const { sut } = componentOf(Exotic);

    expect(sut.problems()).toEqual([
      'Exotic.word: class-validator constraint "isPalindrome" has no JSON Schema mapping',
    ]);
  });

  it('reports ValidateNested without a @Type', () => {
    const { sut } = componentOf(Untyped);

    expect(sut.problems()).toEqual([
      'Untyped.thing: @ValidateNested without a @Type(() => Class) to describe',
    ]);
  });

  it('keeps the code IsRequiredId reports when absent first', () => {
    class Target {
      @IsRequiredId({ missing: ErrorCode.missing_userId, invalid: ErrorCode.invalid_payload })
      userId!: string;
    }
    const { schema } = componentOf(Target);

    expect(schema.properties?.['userId']).toEqual({
      type: 'string',
      minLength: 1,
      maxLength: 128,
      'x-error-codes': ['missing_userId', 'invalid_payload'],
    });
  });
});
