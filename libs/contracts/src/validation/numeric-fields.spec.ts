import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage } from 'class-validator';
import { ChatHistoryPagePayload, ChatLocationSharePayload } from '../commands/chat.commands';
import { ClientEventSchemas } from '../commands/client-event-schemas';
import { GiftHistoryFetchPayload } from '../commands/gift.commands';
import { LocationUpdatePayload } from '../commands/presence.commands';
import { ProximityTokenPayload } from '../commands/proximity.commands';
import { ErrorCode } from '../errors/error-codes';
import * as rest from '../rest';
import { validateInput, type ValidateInputOptions } from './validate-input';

// A JSON number beyond the double range (1e400) parses to ±Infinity. Every numeric field must refuse it
// exactly as it refuses an out-of-range number — same code, same message — never as "is required".

type Schema = new () => object;
type Json = Record<string, unknown>;

const NUMERIC_RULES: ReadonlySet<string> = new Set(['isNumber', 'isInt', 'isHeadingDegrees', 'min', 'max']);
const REST = { fallbackCode: ErrorCode.validation_failed, forbidUnknown: true };

/** A valid example of every payload or body class that has a numeric field, with how it is validated. */
const EXAMPLES = new Map<Schema, { example: Json; options: ValidateInputOptions }>([
  [
    LocationUpdatePayload,
    { example: { lat: 6.5244, lng: 3.3792, accuracyMeters: 6.2, heading: 120, speed: 1.7 }, options: {} },
  ],
  [
    ProximityTokenPayload,
    { example: { connectionId: 'conn_abc', token: 'a3f9c2e1', rssi: -68 }, options: {} },
  ],
  [ChatHistoryPagePayload, { example: { otherUserId: 'user_456', limit: 20 }, options: {} }],
  [
    ChatLocationSharePayload,
    {
      example: {
        recipientId: 'user_456',
        location: { lat: 6.5244, lng: 3.3792, accuracyMeters: 4.8, heading: 118, speed: 1.2 },
      },
      options: {},
    },
  ],
  [GiftHistoryFetchPayload, { example: { limit: 20 }, options: {} }],
  [
    rest.UpdateProfileRequestDto,
    { example: { age: 28, vibe: 'coffee', vibeExpiresInMinutes: 30 }, options: REST },
  ],
  [rest.CreateCampaignRequestDto, { example: campaign(), options: REST }],
  [rest.UpdateCampaignRequestDto, { example: campaignNumbers(), options: REST }],
]);

function campaignNumbers(): Json {
  return {
    milestoneMinutes: [15, 60],
    minTotalTogetherMinutes: 6000,
    minDailyTogetherMinutes: 30,
    minDistinctQualifyingDays: 20,
    stock: 500,
    perPairLimit: 2,
    perUserLimit: 3,
    area: { lat: 6.5244, lng: 3.3792, radiusMeters: 25000 },
    claimArea: { lat: 6.4281, lng: 3.4219, radiusMeters: 150 },
    rewardLifetimeMinutes: 1440,
    codeLifetimeMinutes: 60,
  };
}

function campaign(): Json {
  return {
    brandId: 'brand_01JS3Z8Q4W5X6Y7Z8A9B0C1D2E',
    name: 'Date night',
    triggerTypes: ['proximityMilestone'],
    title: 'Date Night Reward',
    description: 'Free appetizer and two mocktails',
    terms: 'Valid while stock lasts',
    ...campaignNumbers(),
  };
}

function rulesOf(schema: Schema) {
  return getMetadataStorage().getTargetValidationMetadatas(schema, '', true, false);
}

/** Dotted paths of the fields with a numeric rule; nested classes are found through the example. */
function numericPaths(schema: Schema, example: Json, prefix = ''): string[] {
  const paths = new Set<string>();
  for (const rule of rulesOf(schema)) {
    if (rule.name !== undefined && NUMERIC_RULES.has(rule.name)) paths.add(prefix + rule.propertyName);
    if (rule.type === 'nestedValidation') {
      const nested = (plainToInstance(schema, example) as Json)[rule.propertyName];
      const nestedExample = example[rule.propertyName];
      if (
        typeof nested === 'object' &&
        nested !== null &&
        typeof nestedExample === 'object' &&
        nestedExample
      ) {
        const nestedSchema = nested.constructor as Schema;
        for (const path of numericPaths(
          nestedSchema,
          nestedExample as Json,
          `${prefix}${rule.propertyName}.`,
        ))
          paths.add(path);
      }
    }
  }
  return [...paths];
}

/** `example` with the field at `path` set to `value` (inside an array when the field is a list). */
function withValue(example: Json, path: string, value: number): Json {
  const copy = structuredClone(example);
  const keys = path.split('.');
  const leaf = keys.pop() ?? '';
  let target: Json = copy;
  for (const key of keys) target = target[key] as Json;
  target[leaf] = Array.isArray(target[leaf]) ? [value] : value;
  return copy;
}

const hasNumericOrNestedRule = (schema: Schema): boolean =>
  rulesOf(schema).some(
    (rule) => rule.type === 'nestedValidation' || (rule.name !== undefined && NUMERIC_RULES.has(rule.name)),
  );

const restBodyClasses = Object.values(rest).filter(
  (value): value is Schema => typeof value === 'function' && rulesOf(value as Schema).length > 0,
);

const cases = [...EXAMPLES].flatMap(([schema, { example, options }]) =>
  numericPaths(schema, example).map((path) => ({
    name: `${schema.name}.${path}`,
    schema,
    example,
    options,
    path,
  })),
);

describe('numeric fields and numbers JSON cannot carry', () => {
  it('has an example for every payload and body class with a numeric or nested field', () => {
    const schemas = new Set<Schema>([...Object.values(ClientEventSchemas), ...restBodyClasses]);
    const uncovered = [...schemas]
      .filter((schema) => hasNumericOrNestedRule(schema) && !EXAMPLES.has(schema))
      .map((schema) => schema.name);

    // GeoCircleDto is only ever nested: its fields are reached through the campaigns' area and claimArea.
    expect(uncovered).toEqual(['GeoCircleDto']);
    for (const [schema, { example, options }] of EXAMPLES) {
      expect([schema.name, validateInput(schema, example, options).ok]).toEqual([schema.name, true]);
    }
  });

  it('finds the numeric fields of nested classes too', () => {
    expect(
      numericPaths(ChatLocationSharePayload, EXAMPLES.get(ChatLocationSharePayload)?.example ?? {}),
    ).toEqual([
      'location.lat',
      'location.lng',
      'location.accuracyMeters',
      'location.heading',
      'location.speed',
    ]);
  });

  it.each(cases)(
    '$name refuses ±Infinity as it refuses an out-of-range number',
    ({ schema, example, options, path }) => {
      for (const [infinite, outOfRange] of [
        [Number.POSITIVE_INFINITY, 1e12],
        [Number.NEGATIVE_INFINITY, -1e12],
      ] as const) {
        const refused = validateInput(schema, withValue(example, path, infinite), options);

        expect(refused).toEqual(validateInput(schema, withValue(example, path, outOfRange), options));
        expect(refused).toMatchObject({ ok: false, field: path });
        expect(refused.ok ? '' : refused.message).not.toContain('is required');
      }
    },
  );

  it('names the field, its code and that the value must be finite', () => {
    const lat: unknown = JSON.parse('{"lat":1e400,"lng":3.3792}');
    const rssi: unknown = JSON.parse('{"connectionId":"conn_abc","token":"a3f9c2e1","rssi":-1e400}');

    expect(validateInput(LocationUpdatePayload, lat)).toEqual({
      ok: false,
      code: ErrorCode.invalid_location,
      message: 'lat must be a finite number between -90 and 90',
      field: 'lat',
    });
    expect(validateInput(ProximityTokenPayload, rssi)).toEqual({
      ok: false,
      code: ErrorCode.invalid_rssi,
      message: 'rssi must be a finite number between -127 and 0',
      field: 'rssi',
    });
  });
});
