import { inspectInputShape, MAX_INPUT_DEPTH } from './input-shape';

/** `{"a":{"a":…}}` with `levels` objects in all, as a client would send it. */
function nested(levels: number): unknown {
  return JSON.parse('{"a":'.repeat(levels - 1) + '{}' + '}'.repeat(levels - 1));
}

describe(inspectInputShape.name, () => {
  it('finds nothing wrong with ordinary input', () => {
    const sut = inspectInputShape({ lat: 6.5, tags: ['a', { b: null }], location: { lng: -3 } });

    expect(sut).toEqual({ hasNonFiniteNumber: false });
  });

  it.each(['__proto__', 'constructor', 'prototype'])('finds the prototype key %s at any depth', (key) => {
    expect(inspectInputShape(JSON.parse(`{"${key}":{"isAdmin":true}}`))).toEqual({
      problem: { kind: 'prototypeKey', field: key },
      hasNonFiniteNumber: false,
    });
    expect(inspectInputShape(JSON.parse(`{"location":{"lat":1,"${key}":{}}}`))).toMatchObject({
      problem: { kind: 'prototypeKey', field: `location.${key}` },
    });
    expect(inspectInputShape(JSON.parse(`{"list":[1,{"${key}":1}]}`))).toMatchObject({
      problem: { kind: 'prototypeKey', field: `list.1.${key}` },
    });
  });

  it('does not mistake string values or look-alike keys for prototype keys', () => {
    expect(inspectInputShape({ name: '__proto__', proto: 1, _constructor: 2, prototypes: 3 })).toEqual({
      hasNonFiniteNumber: false,
    });
  });

  it(`accepts ${MAX_INPUT_DEPTH} levels of nesting and refuses one more, naming where`, () => {
    expect(inspectInputShape(nested(MAX_INPUT_DEPTH))).toEqual({ hasNonFiniteNumber: false });
    expect(inspectInputShape(nested(MAX_INPUT_DEPTH + 1))).toEqual({
      problem: { kind: 'tooDeep', field: Array(MAX_INPUT_DEPTH).fill('a').join('.') },
      hasNonFiniteNumber: false,
    });
    expect(
      inspectInputShape(JSON.parse('['.repeat(MAX_INPUT_DEPTH + 1) + ']'.repeat(MAX_INPUT_DEPTH + 1))),
    ).toMatchObject({
      problem: { kind: 'tooDeep' },
    });
  });

  it('walks input far deeper than any stack without recursion', () => {
    const hostile = JSON.parse('['.repeat(30_000) + ']'.repeat(30_000)) as unknown;

    expect(inspectInputShape(hostile)).toMatchObject({ problem: { kind: 'tooDeep' } });
  });

  it('reports the first problem in key order', () => {
    const input: unknown = JSON.parse('{"first":{"constructor":1},"second":{"__proto__":1}}');

    expect(inspectInputShape(input)).toMatchObject({ problem: { field: 'first.constructor' } });
  });

  it('notices numbers JSON cannot carry (1e400 parses to Infinity), at any depth', () => {
    expect(inspectInputShape(JSON.parse('{"lat":1e400,"lng":0}'))).toEqual({ hasNonFiniteNumber: true });
    expect(inspectInputShape(JSON.parse('{"location":{"lng":-1e400}}'))).toEqual({
      hasNonFiniteNumber: true,
    });
    expect(inspectInputShape(JSON.parse('{"minutes":[5,1e999]}'))).toEqual({ hasNonFiniteNumber: true });
    expect(inspectInputShape(JSON.parse('{"tiny":1e-400,"big":1e308}'))).toEqual({
      hasNonFiniteNumber: false,
    });
  });
});
