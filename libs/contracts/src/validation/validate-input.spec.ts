import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsObject, IsString, ValidateNested } from 'class-validator';
import { ErrorCode } from '../errors/error-codes';
import { IsNumberBetween, IsOptionalString, IsRequiredId, IsRequiredString } from './field-decorators';
import { MAX_INPUT_DEPTH } from './input-shape';
import { validateInput } from './validate-input';
import { withCode } from './with-code';

class Point {
  @IsNumberBetween(ErrorCode.invalid_location, -90, 90)
  lat!: number;
}

class Sample {
  @IsRequiredId(ErrorCode.missing_userId)
  userId!: string;

  @IsRequiredString({ missing: ErrorCode.missing_token, invalid: ErrorCode.invalid_token }, { maxLength: 4 })
  token!: string;

  @IsOptionalString(ErrorCode.invalid_cursor, { maxLength: 8 })
  cursor?: string;

  @IsObject(withCode(ErrorCode.invalid_location))
  @ValidateNested(withCode(ErrorCode.invalid_location))
  @Type(() => Point)
  point!: Point;
}

// Plain class-validator usage, as the brief documents it: no composite decorator, no message.
class PlainDecorators {
  @IsString(withCode(ErrorCode.missing_userId))
  userId!: string;

  @IsString()
  untagged!: string;
}

class NoRules {}

const valid = (): Record<string, unknown> => ({ userId: 'user_1', token: 'abcd', point: { lat: 6.5 } });

describe(validateInput.name, () => {
  it('returns an instance of the schema with the validated values', () => {
    const sut = validateInput(Sample, valid());

    expect(sut.ok).toBe(true);
    if (!sut.ok) return;
    expect(sut.value).toBeInstanceOf(Sample);
    expect(sut.value.point).toBeInstanceOf(Point);
    expect(sut.value).toMatchObject({ userId: 'user_1', token: 'abcd', point: { lat: 6.5 } });
  });

  it.each([null, [], 'text', 42, true])('refuses non-object input %p with the fallback code', (input) => {
    expect(validateInput(Sample, input)).toEqual({
      ok: false,
      code: ErrorCode.invalid_payload,
      message: 'payload must be a JSON object',
    });
    expect(validateInput(Sample, input, { fallbackCode: ErrorCode.validation_failed })).toMatchObject({
      code: ErrorCode.validation_failed,
    });
  });

  it('validates an absent payload as an empty object, so the first missing field is named', () => {
    expect(validateInput(Sample, undefined)).toEqual({
      ok: false,
      code: ErrorCode.missing_userId,
      message: 'userId is required',
      field: 'userId',
    });
  });

  it('reports the first failing field in declaration order', () => {
    expect(validateInput(Sample, { token: 123 })).toMatchObject({
      code: ErrorCode.missing_userId,
      field: 'userId',
    });
    expect(validateInput(Sample, { ...valid(), token: 123, cursor: 5 })).toMatchObject({
      code: ErrorCode.invalid_token,
      field: 'token',
    });
  });

  it('distinguishes absent from invalid when a field has two codes', () => {
    expect(validateInput(Sample, { ...valid(), token: undefined })).toMatchObject({
      code: ErrorCode.missing_token,
      message: 'token is required',
    });
    expect(validateInput(Sample, { ...valid(), token: null })).toMatchObject({
      code: ErrorCode.missing_token,
      message: 'token is required',
    });
    expect(validateInput(Sample, { ...valid(), token: '' })).toMatchObject({
      code: ErrorCode.missing_token,
      message: 'token must not be empty',
    });
    expect(validateInput(Sample, { ...valid(), token: 7 })).toMatchObject({
      code: ErrorCode.invalid_token,
      message: 'token must be a string',
    });
    expect(validateInput(Sample, { ...valid(), token: 'abcde' })).toMatchObject({
      code: ErrorCode.invalid_token,
      message: 'token must be at most 4 characters',
    });
  });

  it('never coerces: a numeric string is not a number', () => {
    expect(validateInput(Sample, { ...valid(), point: { lat: '6.5' } })).toEqual({
      ok: false,
      code: ErrorCode.invalid_location,
      message: 'point.lat must be a finite number between -90 and 90',
      field: 'point.lat',
    });
  });

  it('names nested fields by their full path', () => {
    expect(validateInput(Sample, { ...valid(), point: {} })).toMatchObject({
      code: ErrorCode.invalid_location,
      message: 'point.lat is required',
      field: 'point.lat',
    });
  });

  it('refuses an array where a nested object is expected', () => {
    expect(validateInput(Sample, { ...valid(), point: [{ lat: 1 }] })).toMatchObject({
      code: ErrorCode.invalid_location,
      field: 'point',
    });
  });

  it('drops undeclared fields by default, at every depth', () => {
    const sut = validateInput(Sample, { ...valid(), extra: 1, point: { lat: 1, extra: 2 } });

    expect(sut).toMatchObject({ ok: true });
    if (!sut.ok) return;
    expect(sut.value).not.toHaveProperty('extra');
    expect(sut.value.point).not.toHaveProperty('extra');
  });

  it('refuses undeclared fields with forbidUnknown, using the fallback code', () => {
    expect(validateInput(Sample, { ...valid(), role: 'admin' }, { forbidUnknown: true })).toEqual({
      ok: false,
      code: ErrorCode.invalid_payload,
      message: 'role is not an accepted field',
      field: 'role',
    });
    expect(
      validateInput(
        Sample,
        { ...valid(), role: 'admin' },
        { forbidUnknown: true, fallbackCode: ErrorCode.validation_failed },
      ),
    ).toMatchObject({ code: ErrorCode.validation_failed });
  });

  it('takes the code from the constraint context, with default messages that name the field', () => {
    expect(validateInput(PlainDecorators, { userId: 5, untagged: 'x' })).toEqual({
      ok: false,
      code: ErrorCode.missing_userId,
      message: 'userId must be a string',
      field: 'userId',
    });
  });

  it('falls back to the fallback code when the constraint carries none', () => {
    expect(validateInput(PlainDecorators, { userId: 'u', untagged: 5 })).toMatchObject({
      code: ErrorCode.invalid_payload,
      field: 'untagged',
    });
    expect(
      validateInput(
        PlainDecorators,
        { userId: 'u', untagged: 5 },
        { fallbackCode: ErrorCode.validation_failed },
      ),
    ).toMatchObject({ code: ErrorCode.validation_failed });
  });

  it('accepts any object for a schema without rules, keeping none of its fields', () => {
    const sut = validateInput(NoRules, { anything: true });

    expect(sut).toEqual({ ok: true, value: new NoRules() });
    expect(validateInput(NoRules, { anything: true }, { forbidUnknown: true })).toMatchObject({
      ok: false,
      field: 'anything',
    });
    expect(validateInput(NoRules, {}, { forbidUnknown: true })).toMatchObject({ ok: true });
  });

  it.each(['__proto__', 'constructor', 'prototype'])(
    'refuses the prototype key %s as an unknown field, even where unknown fields are dropped',
    (key) => {
      const input: unknown = JSON.parse(
        `{"userId":"u","token":"t","point":{"lat":1},"${key}":{"isAdmin":true}}`,
      );

      expect(validateInput(Sample, input)).toEqual({
        ok: false,
        code: ErrorCode.invalid_payload,
        message: `${key} is not an accepted field`,
        field: key,
      });
      expect(
        validateInput(Sample, input, { forbidUnknown: true, fallbackCode: ErrorCode.validation_failed }),
      ).toEqual({
        ok: false,
        code: ErrorCode.validation_failed,
        message: `${key} is not an accepted field`,
        field: key,
      });
      expect(validateInput(NoRules, JSON.parse(`{"${key}":{}}`))).toMatchObject({ ok: false, field: key });
      expect(({} as Record<string, unknown>)['isAdmin']).toBeUndefined();
    },
  );

  it('refuses a prototype key nested in a field, naming its path', () => {
    const input: unknown = JSON.parse('{"userId":"u","token":"t","point":{"lat":1,"__proto__":{"x":1}}}');

    expect(validateInput(Sample, input)).toEqual({
      ok: false,
      code: ErrorCode.invalid_payload,
      message: 'point.__proto__ is not an accepted field',
      field: 'point.__proto__',
    });
  });

  it(`refuses input nested more than ${MAX_INPUT_DEPTH} levels deep with a clear message`, () => {
    const deep = JSON.parse('{"a":'.repeat(MAX_INPUT_DEPTH) + '{}' + '}'.repeat(MAX_INPUT_DEPTH)) as unknown;

    expect(validateInput(Sample, { ...valid(), point: deep })).toEqual({
      ok: false,
      code: ErrorCode.invalid_payload,
      message: `payload must not nest objects or arrays more than ${MAX_INPUT_DEPTH} levels deep`,
      field: ['point', ...Array<string>(MAX_INPUT_DEPTH - 1).fill('a')].join('.'),
    });
    expect(validateInput(Sample, deep, { fallbackCode: ErrorCode.validation_failed })).toMatchObject({
      code: ErrorCode.validation_failed,
      message: `payload must not nest objects or arrays more than ${MAX_INPUT_DEPTH} levels deep`,
    });
  });

  it('does not throw on hostile values', () => {
    const deep: Record<string, unknown> = {};
    let cursor = deep;
    for (let i = 0; i < 10_000; i++) cursor = cursor['a'] = {};

    expect(validateInput(Sample, { ...valid(), point: deep })).toMatchObject({
      ok: false,
      code: ErrorCode.invalid_payload,
      message: `payload must not nest objects or arrays more than ${MAX_INPUT_DEPTH} levels deep`,
    });
    expect(validateInput(Sample, { ...valid(), userId: 'x'.repeat(1_000_000) })).toMatchObject({
      code: ErrorCode.missing_userId,
      message: 'userId must be at most 128 characters',
    });
  });
  describe('text no database column can store', () => {
    it.each([
      ['a NUL character', 'ab\u0000'],
      ['a lone high surrogate', 'ab\ud800'],
      ['a lone low surrogate', '\udc00ab'],
      ['a reversed pair', '\udc00\ud800'],
    ])("refuses %s in a string field with the field's own code", (_what, token) => {
      expect(validateInput(Sample, { ...valid(), token })).toEqual({
        ok: false,
        code: ErrorCode.invalid_token,
        message: 'token must not contain NUL characters or unpaired UTF-16 surrogates',
        field: 'token',
      });
    });

    it('refuses it with the fallback code in a string the schema checks with a plain @IsString()', () => {
      const input = { userId: 'user_1', untagged: 'a\u0000' };

      expect(validateInput(PlainDecorators, input, { fallbackCode: ErrorCode.validation_failed })).toEqual({
        ok: false,
        code: ErrorCode.validation_failed,
        message: 'untagged must not contain NUL characters or unpaired UTF-16 surrogates',
        field: 'untagged',
      });
    });

    it('accepts characters outside the BMP written as surrogate pairs', () => {
      const sut = validateInput(Sample, { ...valid(), userId: 'user_\u{1F600}' });

      expect(sut).toMatchObject({ ok: true, value: { userId: 'user_\u{1F600}' } });
    });

    it("lets a field's own rule answer first, with its own code", () => {
      expect(validateInput(Sample, { ...valid(), token: 'too long\u0000' })).toMatchObject({
        ok: false,
        code: ErrorCode.invalid_token,
        field: 'token',
      });
    });

    it('ignores unstorable text in fields the schema drops', () => {
      expect(validateInput(Sample, { ...valid(), extra: 'x\u0000' })).toMatchObject({ ok: true });
    });
  });
});
