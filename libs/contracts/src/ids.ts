/** ID prefixes: the contract's (`user_`, `req_`, `conn_`, `msg_`, `sgg_`, `camp_`, `brand_`, `sr_`) and ours. */
export const IdPrefix = {
  user: 'user',
  request: 'req',
  connection: 'conn',
  message: 'msg',
  sponsoredGift: 'sgg',
  campaign: 'camp',
  brand: 'brand',
  safetyReport: 'sr',
  event: 'evt',
  device: 'dev',
  refreshToken: 'rt',
  /** A login session: the family of refresh tokens one sign-in starts (`sid` claim of our JWTs). */
  loginSession: 'ses',
  proximitySession: 'psess',
  block: 'blk',
  redemption: 'rdm',
  /** A venue's credential for redeeming reward codes (gifts). */
  venueKey: 'vkey',
} as const;

export type IdPrefix = (typeof IdPrefix)[keyof typeof IdPrefix];

// ULID body: 26 Crockford base32 characters; the first is at most 7 (48-bit timestamp).
const ULID_BODY = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;

/** Whether `value` is `<prefix>_<ULID>`, e.g. `conn_01JS3Z8Q4W5X6Y7Z8A9B0C1D2E`. Generation lives in platform. */
export function isPrefixedId(prefix: IdPrefix, value: unknown): value is string {
  if (typeof value !== 'string' || !value.startsWith(`${prefix}_`)) return false;
  return ULID_BODY.test(value.slice(prefix.length + 1));
}
