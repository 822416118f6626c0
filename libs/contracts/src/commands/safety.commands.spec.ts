import { ErrorCode } from '../errors/error-codes';
import { validateInput } from '../validation/validate-input';
import { SafetyBlockPayload, SafetyReportPayload, SafetyUnblockPayload } from './safety.commands';

describe(SafetyReportPayload.name, () => {
  it('accepts the contract example', () => {
    expect(
      validateInput(SafetyReportPayload, { reportedUserId: 'user_456', reason: 'Harassment' }),
    ).toMatchObject({
      ok: true,
    });
  });

  it.each([
    [{ reason: 'Harassment' }, ErrorCode.missing_reportedUserId],
    [{ reportedUserId: 'user_456' }, ErrorCode.missing_reason],
    [{ reportedUserId: 'user_456', reason: '' }, ErrorCode.missing_reason],
    [{ reportedUserId: 'user_456', reason: 3 }, ErrorCode.invalid_payload],
    [{ reportedUserId: 'user_456', reason: 'x'.repeat(501) }, ErrorCode.invalid_payload],
  ])('refuses %p', (input, code) => {
    expect(validateInput(SafetyReportPayload, input)).toMatchObject({ ok: false, code });
  });
});

describe.each([SafetyBlockPayload, SafetyUnblockPayload])('%p', (schema) => {
  it('requires blockedUserId', () => {
    expect(validateInput(schema, { blockedUserId: 'user_456' })).toMatchObject({ ok: true });
    expect(validateInput(schema, {})).toMatchObject({ code: ErrorCode.missing_blockedUserId });
  });
});
