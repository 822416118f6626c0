import { ErrorCode } from '../errors/error-codes';
import { validateInput } from '../validation/validate-input';
import {
  DeleteAccountRequestDto,
  LogoutRequestDto,
  RefreshRequestDto,
  SocialLoginRequestDto,
} from './auth.dto';
import { RegisterDeviceRequestDto } from './device.dto';

const validate = <T extends object>(schema: new () => T, body: unknown) =>
  validateInput(schema, body, { fallbackCode: ErrorCode.validation_failed, forbidUnknown: true });

describe(SocialLoginRequestDto.name, () => {
  it('accepts the contract example and the optional device fields', () => {
    expect(validate(SocialLoginRequestDto, { provider: 'google', idToken: 'eyJhbGciOi...' })).toMatchObject({
      ok: true,
    });
    expect(
      validate(SocialLoginRequestDto, {
        provider: 'apple',
        idToken: 't',
        deviceToken: 'd',
        devicePlatform: 'ios',
        nonce: 'n',
      }),
    ).toMatchObject({ ok: true });
  });

  it.each([
    [{ idToken: 't' }, ErrorCode.invalid_provider, 'provider is required'],
    [
      { provider: 'facebook', idToken: 't' },
      ErrorCode.invalid_provider,
      'provider must be one of: google, apple',
    ],
    [{ provider: 'google' }, ErrorCode.validation_failed, 'idToken is required'],
    [{ provider: 'google', idToken: 't', devicePlatform: 'symbian' }, ErrorCode.validation_failed, undefined],
  ])('refuses %p', (body, code, message) => {
    const sut = validate(SocialLoginRequestDto, body);

    expect(sut).toMatchObject({ ok: false, code });
    if (message && !sut.ok) expect(sut.message).toBe(message);
  });
});

describe('other auth bodies', () => {
  it('refresh needs a refresh token', () => {
    expect(validate(RefreshRequestDto, { refreshToken: 'r' })).toMatchObject({ ok: true });
    expect(validate(RefreshRequestDto, {})).toMatchObject({ code: ErrorCode.validation_failed });
  });

  it('logout takes optional tokens only', () => {
    expect(validate(LogoutRequestDto, {})).toMatchObject({ ok: true });
    expect(validate(LogoutRequestDto, { deviceToken: 'd', refreshToken: 'r' })).toMatchObject({ ok: true });
    expect(validate(LogoutRequestDto, { everything: true })).toMatchObject({
      code: ErrorCode.validation_failed,
    });
  });

  it('delete-account needs a reason of 1..500 characters', () => {
    expect(validate(DeleteAccountRequestDto, { reason: 'moving on' })).toMatchObject({ ok: true });
    expect(validate(DeleteAccountRequestDto, {})).toMatchObject({ code: ErrorCode.missing_reason });
    expect(validate(DeleteAccountRequestDto, { reason: '' })).toMatchObject({
      code: ErrorCode.missing_reason,
    });
    expect(validate(DeleteAccountRequestDto, { reason: 'r'.repeat(501) })).toMatchObject({
      code: ErrorCode.validation_failed,
    });
  });

  it('device registration needs a token and a known platform', () => {
    expect(
      validate(RegisterDeviceRequestDto, { token: 'fcm_or_apns_token', platform: 'android' }),
    ).toMatchObject({
      ok: true,
    });
    expect(validate(RegisterDeviceRequestDto, { platform: 'android' })).toMatchObject({
      code: ErrorCode.validation_failed,
    });
    expect(validate(RegisterDeviceRequestDto, { token: 't', platform: 'blackberry' })).toMatchObject({
      code: ErrorCode.validation_failed,
      message: 'platform must be one of: ios, android, web',
    });
  });
});
