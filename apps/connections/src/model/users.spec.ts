import type { DirectoryUser } from '@gisbi/platform';
import { activeUser, publicUserOf } from './users';

const ada: DirectoryUser = { id: 'user_ada', name: 'Ada', age: 28, avatar: null, gender: null, vibe: null, vibeExpiresAt: null, deleted: false };
const gone: DirectoryUser = { ...ada, id: 'user_gone', name: 'Gone', deleted: true };
const users = new Map([
  [ada.id, ada],
  [gone.id, gone],
]);

describe('publicUserOf', () => {
  it('strips directory-only fields', () => {
    expect(publicUserOf(users, ada.id)).toEqual({ id: 'user_ada', name: 'Ada', age: 28, avatar: null, gender: null, vibe: null, vibeExpiresAt: null });
  });

  it('stands in for an unknown user with every field present', () => {
    expect(publicUserOf(users, 'user_x')).toEqual({ id: 'user_x', name: '', age: null, avatar: null, gender: null, vibe: null, vibeExpiresAt: null });
  });
});

describe('activeUser', () => {
  it('is undefined for unknown and deleted users', () => {
    expect(activeUser(users, ada.id)).toBe(ada);
    expect(activeUser(users, gone.id)).toBeUndefined();
    expect(activeUser(users, 'user_x')).toBeUndefined();
  });
});
