import { randomBytes } from 'node:crypto';

/**
 * BLE tokens: 8 bytes (64 bits) from the OS CSPRNG, written as 16 lowercase hex characters. The phone
 * advertises the 8 raw bytes (they fit a legacy 31-byte advertisement, e.g. as service data next to the
 * GISBI service UUID) and its partner sends back the hex form. 64 bits cannot be guessed within a token's
 * lifetime, and a token is only accepted from the partner of the same connection anyway.
 */
export const TOKEN_BYTES = 8;
const TOKEN_PATTERN = /^[0-9a-f]{16}$/;

export function generateToken(): string {
  return randomBytes(TOKEN_BYTES).toString('hex');
}

/** Normalises what a client sent (hex is case-insensitive); null when it cannot be a GISBI token. */
export function normaliseToken(value: string): string | null {
  const token = value.trim().toLowerCase();
  return TOKEN_PATTERN.test(token) ? token : null;
}
