import { ErrorCode } from '../errors/error-codes';
import { validateInput } from '../validation/validate-input';
import { GiftClaimPayload, GiftHistoryFetchPayload, LegacyGiftPayload } from './gift.commands';

describe(GiftHistoryFetchPayload.name, () => {
  it('accepts the contract example and an empty payload', () => {
    expect(validateInput(GiftHistoryFetchPayload, { limit: 20, cursor: 'opaque_cursor' })).toMatchObject({
      ok: true,
    });
    expect(validateInput(GiftHistoryFetchPayload, {})).toMatchObject({ ok: true });
  });

  it.each([
    [{ limit: 0 }, ErrorCode.invalid_limit],
    [{ limit: 51 }, ErrorCode.invalid_limit],
    [{ limit: '20' }, ErrorCode.invalid_limit],
    [{ limit: 1.5 }, ErrorCode.invalid_limit],
    [{ cursor: 5 }, ErrorCode.invalid_cursor],
    [{ cursor: '' }, ErrorCode.invalid_cursor],
    [{ cursor: 'c'.repeat(513) }, ErrorCode.invalid_cursor],
  ])('refuses %p', (input, code) => {
    expect(validateInput(GiftHistoryFetchPayload, input)).toMatchObject({ ok: false, code });
  });
});

describe(GiftClaimPayload.name, () => {
  it('requires giftId', () => {
    expect(validateInput(GiftClaimPayload, { giftId: 'sgg_123' })).toMatchObject({ ok: true });
    expect(validateInput(GiftClaimPayload, {})).toMatchObject({ code: ErrorCode.missing_giftId });
  });
});

describe(LegacyGiftPayload.name, () => {
  it('accepts anything, so the service can answer peer_gifts_disabled', () => {
    expect(validateInput(LegacyGiftPayload, { giftId: 1, whatever: [1, 2] })).toMatchObject({ ok: true });
  });
});
