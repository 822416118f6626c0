import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether the `nonce` claim of an ID token matches the nonce the client sent with the login.
 * Google puts the nonce in verbatim. With Sign in with Apple the app passes SHA-256(rawNonce) (hex) to
 * Apple, which puts that hash in the token while the app sends us the raw nonce; so the claim may be
 * either the nonce itself or the lowercase hex SHA-256 of it.
 */
export function nonceMatches(sentNonce: string, tokenNonce: unknown): boolean {
  if (typeof tokenNonce !== 'string' || tokenNonce.length === 0) return false;
  const hashed = createHash('sha256').update(sentNonce, 'utf8').digest('hex');
  return constantTimeEqual(tokenNonce, sentNonce) || constantTimeEqual(tokenNonce.toLowerCase(), hashed);
}

function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
