import { accountName, DEFAULT_USER_NAME } from './login.service';

describe(accountName.name, () => {
  it.each([
    ['a name', 'Ada Lovelace', 'Ada Lovelace'],
    ['padding and inner runs of whitespace', '  Ada \t\n Lovelace ', 'Ada Lovelace'],
    ['control characters', 'Ada\u0000\u0007Lovelace', 'Ada Lovelace'],
    ['no name', null, DEFAULT_USER_NAME],
    ['only whitespace', '   ', DEFAULT_USER_NAME],
    ['a name above 80 characters', 'n'.repeat(100), 'n'.repeat(80)],
    ['emoji counted as one character each', '🙂'.repeat(81), '🙂'.repeat(80)],
    ['only invisible characters', '\u200b\u2060', DEFAULT_USER_NAME],
    ['a bidirectional override', 'evil\u202Egnp.exe', DEFAULT_USER_NAME],
  ])('%s', (_case, input, expected) => {
    expect(accountName(input)).toBe(expected);
  });
});
