import { createHash, randomBytes } from 'node:crypto';

const VENUE_KEY_PREFIX = 'gvk_';

/** A new venue credential: `gvk_` and 256 random bits (base64url). */
export function generateVenueKey(): string {
  return `${VENUE_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/**
 * What is stored and looked up: the key's SHA-256. Keys are 256-bit random values, so a fast hash is
 * enough (no password stretching needed) and an index lookup by hash stays constant-time in the key.
 */
export function hashVenueKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The last 4 characters, so admins can tell keys apart without seeing them. */
export function venueKeyHint(key: string): string {
  return key.slice(-4);
}

export function looksLikeVenueKey(value: string): boolean {
  return value.startsWith(VENUE_KEY_PREFIX) && value.length === VENUE_KEY_PREFIX.length + 43;
}
