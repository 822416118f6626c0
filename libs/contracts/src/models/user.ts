/** Public user profile, as returned by REST and embedded in socket payloads. */
export interface User {
  /** `user_...` */
  id: string;
  name: string;
  age: number | null;
  /** Absolute URL. */
  avatar: string | null;
  gender: string | null;
  vibe: string | null;
  /** ISO-8601 UTC; null when there is no vibe or it never expires. */
  vibeExpiresAt: string | null;
}

/** What other users see of someone: the contract's User is already that summary. */
export type UserSummary = User;
