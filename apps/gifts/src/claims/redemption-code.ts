import { randomInt } from 'node:crypto';

/** No 0/O, 1/I/L: a code is read aloud and typed by venue staff. */
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const CODE_LENGTH = 8;

/** A random redemption code: 8 characters of a 31-letter alphabet (about 8.5 × 10^11 codes). */
export function generateRedemptionCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

/** What the venue typed, as stored: upper case, without spaces or hyphens. */
export function normalizeRedemptionCode(input: string): string {
  return input.replace(/[\s-]/g, '').toUpperCase();
}

export function isWellFormedCode(code: string): boolean {
  if (code.length !== CODE_LENGTH) return false;
  for (const char of code) if (!CODE_ALPHABET.includes(char)) return false;
  return true;
}
