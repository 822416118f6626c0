import { ErrorCode } from '../errors/error-codes';
import { validateInput } from '../validation/validate-input';
import { ProximitySessionEndPayload, ProximityTokenPayload } from './proximity.commands';

const scan = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  connectionId: 'conn_abc',
  token: 'a3f9c2e1',
  rssi: -68,
  ...overrides,
});

describe(ProximityTokenPayload.name, () => {
  it('accepts the contract example', () => {
    expect(validateInput(ProximityTokenPayload, scan())).toEqual({ ok: true, value: scan() });
  });

  it('leaves the -40 dBm rule to the proximity service', () => {
    expect(validateInput(ProximityTokenPayload, scan({ rssi: -20 }))).toMatchObject({ ok: true });
  });

  it.each([
    ['connectionId absent', { connectionId: undefined }, ErrorCode.missing_connectionId],
    ['connectionId not a string', { connectionId: 1 }, ErrorCode.missing_connectionId],
    ['token absent', { token: undefined }, ErrorCode.missing_token],
    ['token empty', { token: '' }, ErrorCode.missing_token],
    ['token not a string', { token: 123 }, ErrorCode.invalid_token],
    ['token too long', { token: 'a'.repeat(65) }, ErrorCode.invalid_token],
    ['rssi absent', { rssi: undefined }, ErrorCode.missing_rssi],
    ['rssi null', { rssi: null }, ErrorCode.missing_rssi],
    ['rssi as a string', { rssi: '-68' }, ErrorCode.invalid_rssi],
    ['rssi positive', { rssi: 1 }, ErrorCode.invalid_rssi],
    ['rssi below the physical floor', { rssi: -128 }, ErrorCode.invalid_rssi],
  ])('refuses %s', (_case, overrides, code) => {
    expect(validateInput(ProximityTokenPayload, scan(overrides))).toMatchObject({ ok: false, code });
  });
});

describe(ProximitySessionEndPayload.name, () => {
  it('requires connectionId', () => {
    expect(validateInput(ProximitySessionEndPayload, { connectionId: 'conn_abc' })).toMatchObject({
      ok: true,
    });
    expect(validateInput(ProximitySessionEndPayload, {})).toMatchObject({
      code: ErrorCode.missing_connectionId,
    });
  });
});
