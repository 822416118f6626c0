import type { User } from '@gisbi/contracts';
import { toPublicUser, type DirectoryUser } from '@gisbi/platform';

/**
 * The public profile of `userId`, or an anonymous stand-in when the directory does not know the ID (an
 * account purged from auth): list items keep every contract field instead of disappearing or crashing.
 */
export function publicUserOf(users: ReadonlyMap<string, DirectoryUser>, userId: string): User {
  const user = users.get(userId);
  if (user) return toPublicUser(user);
  return { id: userId, name: '', age: null, avatar: null, gender: null, vibe: null, vibeExpiresAt: null };
}

/** The user if the directory knows it and it is not deleted: the only users a request or ring may target. */
export function activeUser(users: ReadonlyMap<string, DirectoryUser>, userId: string): DirectoryUser | undefined {
  const user = users.get(userId);
  return user && !user.deleted ? user : undefined;
}
