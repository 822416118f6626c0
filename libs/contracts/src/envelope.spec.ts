import {
  ClientEnvelopeSchema,
  envelopePayloadProblem,
  makeServerEnvelope,
  parseClientEnvelope,
} from './envelope';
import { ErrorCode } from './errors/error-codes';
import { MAX_INPUT_DEPTH } from './validation/input-shape';
import { validateInput } from './validation/validate-input';

describe(ClientEnvelopeSchema.name, () => {
  it('accepts the contract example and keeps the payload as sent', () => {
    const raw = {
      type: 'session.start',
      payload: { lastSeenAt: '2026-04-19T08:00:00Z', nested: { list: [1, { a: 'b' }] } },
      requestId: 'req_123',
      correlationId: 'corr_123',
    };

    expect(validateInput(ClientEnvelopeSchema, raw)).toEqual({ ok: true, value: raw });
  });
});

// Each rule of the envelope, as the contract shows it: type and payload always, ids when the client has them.
const REFUSED: Array<[string, unknown, ErrorCode, string]> = [
  ['no type', { payload: {} }, ErrorCode.invalid_envelope, 'type is required'],
  ['a null type', { type: null, payload: {} }, ErrorCode.invalid_envelope, 'type is required'],
  ['an empty type', { type: '', payload: {} }, ErrorCode.invalid_envelope, 'type must not be empty'],
  ['a numeric type', { type: 5, payload: {} }, ErrorCode.invalid_envelope, 'type must be a string'],
  [
    'a long type',
    { type: 't'.repeat(101), payload: {} },
    ErrorCode.invalid_envelope,
    'type must be at most 100 characters',
  ],
  ['no payload', { type: 'chat.history.fetch' }, ErrorCode.invalid_envelope, 'payload is required'],
  ['a null payload', { type: 'x', payload: null }, ErrorCode.invalid_envelope, 'payload is required'],
  [
    'an array payload',
    { type: 'x', payload: [1] },
    ErrorCode.invalid_payload,
    'payload must be a JSON object',
  ],
  [
    'a text payload',
    { type: 'x', payload: 'text' },
    ErrorCode.invalid_payload,
    'payload must be a JSON object',
  ],
  [
    'a numeric payload',
    { type: 'x', payload: 0 },
    ErrorCode.invalid_payload,
    'payload must be a JSON object',
  ],
  [
    'a numeric requestId',
    { type: 'x', payload: {}, requestId: 7 },
    ErrorCode.invalid_envelope,
    'requestId must be a string',
  ],
  [
    'a long correlationId',
    { type: 'x', payload: {}, correlationId: 'c'.repeat(129) },
    ErrorCode.invalid_envelope,
    'correlationId must be at most 128 characters',
  ],
  [
    'a __proto__ member',
    JSON.parse('{"type":"x","payload":{},"__proto__":{}}'),
    ErrorCode.invalid_envelope,
    '__proto__ is not an accepted field',
  ],
  [
    'a constructor member',
    { type: 'x', payload: {}, constructor: 'y' },
    ErrorCode.invalid_envelope,
    'constructor is not an accepted field',
  ],
];

const ACCEPTED: Array<[string, Record<string, unknown>]> = [
  [
    'the contract example',
    { type: 'session.start', payload: {}, requestId: 'req_123', correlationId: 'corr_123' },
  ],
  ['null and empty ids', { type: 'chat.history.fetch', payload: {}, requestId: null, correlationId: '' }],
  ['unknown members', { type: 'chat.history.fetch', payload: {}, version: 2 }],
];

describe(parseClientEnvelope.name, () => {
  it.each(REFUSED)('refuses %s', (_case, raw, code, message) => {
    expect(parseClientEnvelope(raw)).toMatchObject({ ok: false, code, message });
  });

  it.each([...REFUSED.map(([name, raw]) => [name, raw] as const), ...ACCEPTED])(
    'agrees with ClientEnvelopeSchema on %s',
    (_case, raw) => {
      const schema = validateInput(ClientEnvelopeSchema, raw, { fallbackCode: ErrorCode.invalid_envelope });
      const parsed = parseClientEnvelope(raw);

      expect(parsed.ok ? { ok: true } : { ok: false, code: parsed.code, message: parsed.message }).toEqual(
        schema.ok ? { ok: true } : { ok: false, code: schema.code, message: schema.message },
      );
    },
  );

  it('returns the members it checked, the payload itself (not a copy), and no ids it was not given', () => {
    const payload = { lat: 6.5244, lng: 3.3792 };

    const sut = parseClientEnvelope({
      type: 'presence.location_update',
      payload,
      requestId: 'r1',
      extra: true,
    });

    expect(sut).toEqual({
      ok: true,
      envelope: { type: 'presence.location_update', payload, requestId: 'r1' },
      payloadHasNonFiniteNumber: false,
    });
    expect(sut.ok && sut.envelope.payload).toBe(payload);
  });

  it('refuses a frame that is not an object', () => {
    for (const raw of [null, [], 'session.start', 42]) {
      expect(parseClientEnvelope(raw)).toEqual({
        ok: false,
        code: ErrorCode.invalid_envelope,
        message: 'a frame must be a JSON object with type and payload',
      });
    }
  });

  it('refuses a payload nested too deep or carrying a prototype key with invalid_payload, fields named in the payload', () => {
    const deep = JSON.parse('{"a":'.repeat(MAX_INPUT_DEPTH) + '{}' + '}'.repeat(MAX_INPUT_DEPTH)) as unknown;

    expect(parseClientEnvelope({ type: 'presence.location_update', payload: deep })).toEqual({
      ok: false,
      code: ErrorCode.invalid_payload,
      message: `payload must not nest objects or arrays more than ${MAX_INPUT_DEPTH} levels deep`,
      field: Array<string>(MAX_INPUT_DEPTH).fill('a').join('.'),
    });
    expect(
      parseClientEnvelope(JSON.parse('{"type":"x","payload":{"location":{"__proto__":{"isAdmin":true}}}}')),
    ).toEqual({
      ok: false,
      code: ErrorCode.invalid_payload,
      message: 'location.__proto__ is not an accepted field',
      field: 'location.__proto__',
    });
  });

  it('flags a payload with a number JSON cannot carry to a service', () => {
    expect(
      parseClientEnvelope(JSON.parse('{"type":"presence.location_update","payload":{"lat":1e400,"lng":0}}')),
    ).toMatchObject({
      ok: true,
      payloadHasNonFiniteNumber: true,
    });
  });
});

describe(envelopePayloadProblem.name, () => {
  it('is the payload rule of the envelope', () => {
    expect(envelopePayloadProblem({})).toBeUndefined();
    expect(envelopePayloadProblem(undefined)).toEqual({
      code: ErrorCode.invalid_envelope,
      message: 'payload is required',
      field: 'payload',
    });
    expect(envelopePayloadProblem([])).toEqual({
      code: ErrorCode.invalid_payload,
      message: 'payload must be a JSON object',
      field: 'payload',
    });
  });
});

describe(makeServerEnvelope.name, () => {
  const now = new Date('2026-04-14T14:12:20Z');

  it('stamps the time and echoes the ids given', () => {
    expect(
      makeServerEnvelope('session.connected', {}, now, { requestId: 'req_123', correlationId: 'corr_123' }),
    ).toEqual({
      type: 'session.connected',
      payload: {},
      timestamp: '2026-04-14T14:12:20.000Z',
      requestId: 'req_123',
      correlationId: 'corr_123',
    });
  });

  it('leaves absent ids out of the JSON entirely', () => {
    const sut = makeServerEnvelope('vibe.expired', { expiredAt: 'x' }, now, { requestId: undefined });

    expect(Object.keys(sut)).toEqual(['type', 'payload', 'timestamp']);
    expect(JSON.parse(JSON.stringify(makeServerEnvelope('error', null, now)))).not.toHaveProperty(
      'requestId',
    );
  });
});
