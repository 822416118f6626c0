import { ClientEnvelopeSchema, makeServerEnvelope } from './envelope';
import { ErrorCode } from './errors/error-codes';
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

  it('accepts an envelope without payload or ids', () => {
    expect(validateInput(ClientEnvelopeSchema, { type: 'chat.history.fetch' })).toMatchObject({ ok: true });
  });

  it.each([
    [{}, ErrorCode.invalid_envelope, 'type is required'],
    [{ type: '' }, ErrorCode.invalid_envelope, 'type must not be empty'],
    [{ type: 5 }, ErrorCode.invalid_envelope, 'type must be a string'],
    [{ type: 't'.repeat(101) }, ErrorCode.invalid_envelope, 'type must be at most 100 characters'],
    [{ type: 'x', requestId: 7 }, ErrorCode.invalid_envelope, 'requestId must be a string'],
    [
      { type: 'x', correlationId: 'c'.repeat(129) },
      ErrorCode.invalid_envelope,
      'correlationId must be at most 128 characters',
    ],
    [{ type: 'x', payload: [1] }, ErrorCode.invalid_payload, 'payload must be a JSON object'],
    [{ type: 'x', payload: 'text' }, ErrorCode.invalid_payload, 'payload must be a JSON object'],
  ])('refuses %p', (input, code, message) => {
    expect(validateInput(ClientEnvelopeSchema, input)).toMatchObject({ ok: false, code, message });
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
