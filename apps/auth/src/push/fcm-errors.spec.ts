import { classifyFcmError } from './fcm-errors';

describe(classifyFcmError.name, () => {
  it.each(['messaging/registration-token-not-registered', 'messaging/invalid-registration-token'])(
    'treats %s as a dead token',
    (code) => {
      expect(classifyFcmError(code)).toBe('invalid_token');
    },
  );

  it.each([
    'messaging/invalid-argument',
    'messaging/message-rate-exceeded',
    'messaging/device-message-rate-exceeded',
    'messaging/quota-exceeded',
    'messaging/server-unavailable',
    'messaging/unavailable',
    'messaging/internal-error',
    'messaging/third-party-auth-error',
    'messaging/mismatched-credential',
    'messaging/sender-id-mismatch',
    'messaging/unknown-error',
    'app/invalid-credential',
  ])('keeps the token on %s', (code) => {
    expect(classifyFcmError(code)).toBe('failed');
  });

  it('keeps the token when there is no code at all', () => {
    expect(classifyFcmError(undefined)).toBe('failed');
  });
});
