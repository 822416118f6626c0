import { ErrorCode } from '../errors/error-codes';
import { validateInput } from '../validation/validate-input';
import { SessionStartPayload } from './session.commands';

describe(SessionStartPayload.name, () => {
  it('accepts an empty payload and the contract example', () => {
    expect(validateInput(SessionStartPayload, {})).toMatchObject({ ok: true });
    expect(validateInput(SessionStartPayload, { lastSeenAt: '2026-04-19T08:00:00Z' })).toEqual({
      ok: true,
      value: { lastSeenAt: '2026-04-19T08:00:00Z' },
    });
    expect(validateInput(SessionStartPayload, { lastSeenAt: '2026-04-19T09:00:00.123+01:00' })).toMatchObject(
      { ok: true },
    );
  });

  it.each(['yesterday', '2026-04-19', '2026-04-19T08:00:00', '2026-02-30T00:00:00Z', 1713513600000])(
    'refuses lastSeenAt %p',
    (lastSeenAt) => {
      expect(validateInput(SessionStartPayload, { lastSeenAt })).toMatchObject({
        ok: false,
        code: ErrorCode.invalid_payload,
        message: 'lastSeenAt must be an ISO-8601 date-time with a time zone',
      });
    },
  );
});
