import { type User } from '../../models/user';

/** Server-only: emitted after a profile change (REST or system, e.g. vibe expiry). */
export interface UserProfileUpdatedPayload {
  user: User;
}
