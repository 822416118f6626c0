import { CODE_ALPHABET, generateRedemptionCode, isWellFormedCode, normalizeRedemptionCode } from './redemption-code';

describe('redemption codes', () => {
  it('generates well-formed, varied codes', () => {
    const codes = Array.from({ length: 200 }, generateRedemptionCode);

    for (const code of codes) expect(isWellFormedCode(code)).toBe(true);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('avoids characters that are easy to misread', () => {
    for (const char of '01OIL') expect(CODE_ALPHABET).not.toContain(char);
  });

  it('normalizes what venue staff type', () => {
    expect(normalizeRedemptionCode(' k7qm-4xd2 ')).toBe('K7QM4XD2');
    expect(isWellFormedCode(normalizeRedemptionCode('k7qm 4xd2'))).toBe(true);
  });

  it('refuses malformed codes', () => {
    expect(isWellFormedCode('K7QM4XD')).toBe(false);
    expect(isWellFormedCode('K7QM4XD0')).toBe(false);
  });
});
