import { checkValue, orNull, SchemaRegistry, type JsonSchema } from './json-schema';

describe(SchemaRegistry.name, () => {
  it('builds a component once per identity and answers a ref', () => {
    const sut = new SchemaRegistry();
    const identity = {};
    let builds = 0;
    const build = (): JsonSchema => {
      builds++;
      return { type: 'string' };
    };

    expect(sut.refTo(identity, 'Name', build)).toEqual({ $ref: '#/components/schemas/Name' });
    expect(sut.refTo(identity, 'Other', build)).toEqual({ $ref: '#/components/schemas/Name' });
    expect(builds).toBe(1);
    expect(sut.resolve('#/components/schemas/Name')).toEqual({ type: 'string' });
  });

  it('numbers a name another identity already holds', () => {
    const sut = new SchemaRegistry();
    sut.refTo('first', 'Location', () => ({ type: 'object' }));

    expect(sut.refTo('second', 'Location', () => ({ type: 'string' }))).toEqual({
      $ref: '#/components/schemas/Location2',
    });
  });

  it('lets a recursive type refer to itself while it is built', () => {
    const sut = new SchemaRegistry();
    const build = (): JsonSchema => ({
      type: 'object',
      properties: { next: sut.refTo('node', 'Node', build) },
    });

    sut.refTo('node', 'Node', build);

    expect(sut.components()).toEqual({
      Node: { type: 'object', properties: { next: { $ref: '#/components/schemas/Node' } } },
    });
  });

  it('lists components sorted by name', () => {
    const sut = new SchemaRegistry();
    sut.refTo('b', 'Beta', () => ({}));
    sut.refTo('a', 'Alpha', () => ({}));

    expect(Object.keys(sut.components())).toEqual(['Alpha', 'Beta']);
  });
});

describe(orNull.name, () => {
  it.each<[JsonSchema, JsonSchema]>([
    [
      { type: 'string', format: 'date-time' },
      { type: ['string', 'null'], format: 'date-time' },
    ],
    [
      { type: 'string', enum: ['a', 'b'] },
      { type: ['string', 'null'], enum: ['a', 'b', null] },
    ],
    [
      { type: 'string', const: 'sent' },
      { type: ['string', 'null'], enum: ['sent', null] },
    ],
    [
      { $ref: '#/components/schemas/User' },
      { anyOf: [{ $ref: '#/components/schemas/User' }, { type: 'null' }] },
    ],
    [{ type: ['number', 'null'] }, { type: ['number', 'null'] }],
  ])('turns %j into %j', (schema, expected) => {
    expect(orNull(schema)).toEqual(expected);
  });
});

describe(checkValue.name, () => {
  const registry = new SchemaRegistry();
  const user = registry.refTo('user', 'User', () => ({
    type: 'object',
    properties: { id: { type: 'string' }, age: { type: ['integer', 'null'], minimum: 0 } },
    required: ['id', 'age'],
  }));
  const check = (value: unknown, schema: JsonSchema, strict = false): string[] =>
    checkValue(value, schema, registry.resolve, { strict });

  it('accepts a matching value', () => {
    expect(check({ id: 'user_1', age: null }, user)).toEqual([]);
  });

  it('reports missing required properties and wrong types with their path', () => {
    expect(check({ age: 'old' }, user)).toEqual([
      '$.id: required',
      '$.age: expected integer or null, got string',
    ]);
  });

  it('checks numbers, strings, enums and consts', () => {
    expect(check(-1, { type: 'number', minimum: 0 })).toEqual(['$: below 0']);
    expect(check(360, { type: 'number', exclusiveMaximum: 360 })).toEqual(['$: not below 360']);
    expect(check('', { type: 'string', minLength: 1 })).toEqual(['$: shorter than 1']);
    expect(check('abcd', { type: 'string', maxLength: 3 })).toEqual(['$: longer than 3']);
    expect(check('x', { enum: ['a', 'b'] })).toEqual(['$: expected one of ["a","b"]']);
    expect(check('x', { const: 'sent' })).toEqual(['$: expected "sent"']);
    expect(check(1.5, { type: 'integer' })).toEqual(['$: expected integer, got number']);
  });

  it('checks ISO-8601 date-times', () => {
    expect(check('2026-04-17T14:12:20Z', { type: 'string', format: 'date-time' })).toEqual([]);
    expect(check('2026-04-17T14:12:20.123+01:00', { type: 'string', format: 'date-time' })).toEqual([]);
    expect(check('2026-04-17', { type: 'string', format: 'date-time' })).toEqual([
      '$: not an ISO-8601 date-time',
    ]);
  });

  it('checks array items, tuples and sizes', () => {
    expect(check([1, 'two'], { type: 'array', items: { type: 'number' } })).toEqual([
      '$[1]: expected number, got string',
    ]);
    expect(check([1], { type: 'array', maxItems: 0 })).toEqual(['$: more than 0 items']);
    expect(check([1, 2], { type: 'array', items: [{ type: 'number' }], additionalItems: false })).toEqual([
      '$: more than 1 items',
    ]);
  });

  it('checks additionalProperties as a schema or false', () => {
    expect(check({ a: 1, b: 'x' }, { type: 'object', additionalProperties: { type: 'number' } })).toEqual([
      '$.b: expected number, got string',
    ]);
    expect(check({ a: 1 }, { type: 'object', additionalProperties: false })).toEqual([
      '$.a: not a declared property',
    ]);
  });

  it('reports undeclared properties only when strict and the schema describes a shape', () => {
    expect(check({ id: 'u', age: 1, nickname: 'x' }, user)).toEqual([]);
    expect(check({ id: 'u', age: 1, nickname: 'x' }, user, true)).toEqual([
      '$.nickname: not a declared property',
    ]);
    expect(check({ anything: true }, { type: 'object' }, true)).toEqual([]);
  });

  it('judges undeclared properties of an allOf against all of its parts', () => {
    const envelope: JsonSchema = {
      allOf: [user, { type: 'object', properties: { extra: { type: 'boolean' } } }],
    };

    expect(check({ id: 'u', age: 1, extra: true }, envelope, true)).toEqual([]);
    expect(check({ id: 'u', age: 1, extra: true, other: 1 }, envelope, true)).toEqual([
      '$.other: not a declared property',
    ]);
  });

  it('requires anyOf to match one branch and oneOf exactly one', () => {
    const nullableUser = orNull(user);
    expect(check(null, nullableUser)).toEqual([]);
    expect(check(5, nullableUser)).toEqual(['$: matches none of the allowed shapes']);
    expect(check('a', { oneOf: [{ type: 'string' }, { const: 'a' }] })).toEqual([
      '$: matches 2 of the oneOf shapes, not 1',
    ]);
  });

  it('reports a $ref that does not resolve', () => {
    expect(check({}, { $ref: '#/components/schemas/Missing' })).toEqual([
      '$: unresolved $ref #/components/schemas/Missing',
    ]);
  });
});
