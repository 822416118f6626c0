import { ErrorCode } from '../errors/error-codes';
import { validateInput } from '../validation/validate-input';
import { UpdateProfileRequestDto } from './profile.dto';

const validate = (body: unknown) =>
  validateInput(UpdateProfileRequestDto, body, {
    fallbackCode: ErrorCode.validation_failed,
    forbidUnknown: true,
  });

describe(UpdateProfileRequestDto.name, () => {
  it('accepts a full update and an empty one', () => {
    const body = {
      name: 'Ada Lovelace',
      avatar: 'https://cdn.example.com/ada.png',
      age: 28,
      gender: 'female',
      vibe: 'coffee?',
      vibeExpiresInMinutes: 60,
    };

    expect(validate(body)).toMatchObject({ ok: true, value: body });
    expect(validate({})).toMatchObject({ ok: true });
  });

  it('trims the name', () => {
    expect(validate({ name: '  Ada  ' })).toMatchObject({ ok: true, value: { name: 'Ada' } });
  });

  it.each([
    ['name', 'Bob\u0007'],
    ['name', 'Ada\nLovelace'],
    ['vibe', 'coffee\u001b[31m'],
    ['vibe', 'late\u0085'],
  ])('refuses control characters in %s (%j)', (field, text) => {
    expect(validate({ [field]: text })).toEqual({
      ok: false,
      code: ErrorCode.validation_failed,
      message: `${field} must not contain control characters`,
      field,
    });
  });

  it.each([
    ['name', '\u200b\u200b', 'must contain a visible character'],
    ['name', '\u0301', 'must contain a visible character'],
    ['vibe', '\u2060', 'must contain a visible character'],
    ['name', '\u3164', 'must contain a visible character'],
    ['name', '\u2800\u115F', 'must contain a visible character'],
    ['name', 'Al\u2028ice', 'must not contain control characters'],
    ['vibe', 'a\uFFF9b', 'must not contain control characters'],
    ['name', 'evil\u202Egnp.exe', 'must not contain bidirectional override or isolate characters'],
    ['vibe', 'a\u2066b', 'must not contain bidirectional override or isolate characters'],
  ])('refuses display text nobody can read right: %s %j', (field, text, problem) => {
    expect(validate({ [field]: text })).toEqual({
      ok: false,
      code: ErrorCode.validation_failed,
      message: `${field} ${problem}`,
      field,
    });
  });

  it('accepts any visible text, emoji and other scripts included', () => {
    expect(validate({ name: 'Adé 李 \u{1F600}', vibe: 'café ☕ #jazz' })).toMatchObject({ ok: true });
    expect(validate({ name: 'שלום\u200f Ada', vibe: 'e\u0301\u200d' })).toMatchObject({ ok: true });
  });

  it('clears avatar with null or an empty string', () => {
    expect(validate({ avatar: '' })).toMatchObject({ ok: true, value: { avatar: null } });
    expect(validate({ avatar: null })).toMatchObject({ ok: true, value: { avatar: null } });
  });

  it('clears age, gender and vibe with null', () => {
    expect(validate({ age: null, gender: null, vibe: null })).toMatchObject({
      ok: true,
      value: { age: null, gender: null, vibe: null },
    });
  });

  it.each([
    ['a blank name', { name: '   ' }, 'name must not be empty'],
    ['a null name', { name: null }, 'name must be a string'],
    ['a long name', { name: 'n'.repeat(81) }, 'name must be at most 80 characters'],
    ['a non-http avatar', { avatar: 'ftp://x.example/a.png' }, 'avatar must be an http(s) URL without user credentials'],
    ['a relative avatar', { avatar: '/media/a.png' }, 'avatar must be an http(s) URL without user credentials'],
    ['an avatar URL with credentials', { avatar: 'https://user:pass@cdn.example.com/a.png' }, 'avatar must be an http(s) URL without user credentials'],
    ['an avatar URL with a bidirectional override', { avatar: 'https://cdn.example.com/\u202Egnp.exe' }, 'avatar must not contain bidirectional override or isolate characters'],
    ['a gender with a control character', { gender: 'm\u0007' }, 'gender must not contain control characters'],
    ['an invisible gender', { gender: '\u200b' }, 'gender must contain a visible character'],
    ['a too-long avatar URL', { avatar: `https://cdn.example.com/${'a'.repeat(5000)}.png` }, 'avatar must be at most 2048 characters'],
    ['a negative age', { age: -1 }, 'age must be an integer between 0 and 150'],
    ['a fractional age', { age: 28.5 }, 'age must be an integer between 0 and 150'],
    ['an age as a string', { age: '28' }, 'age must be an integer between 0 and 150'],
    ['a long gender', { gender: 'g'.repeat(41) }, 'gender must be at most 40 characters'],
    ['a long vibe', { vibe: 'v'.repeat(141) }, 'vibe must be at most 140 characters'],
    [
      'a zero vibe expiry',
      { vibeExpiresInMinutes: 0 },
      'vibeExpiresInMinutes must be an integer between 1 and 1440',
    ],
    [
      'a null vibe expiry',
      { vibeExpiresInMinutes: null },
      'vibeExpiresInMinutes must be an integer between 1 and 1440',
    ],
    ['an unknown field', { id: 'user_999' }, 'id is not an accepted field'],
  ])('refuses %s', (_case, body, message) => {
    expect(validate(body)).toMatchObject({ ok: false, code: ErrorCode.validation_failed, message });
  });
});
