import {
  DomainEvent,
  ErrorCode,
  RpcMethod,
  type BootstrapPart,
  type LoginSocialResponse,
  type User,
  type UsersGetManyResponse,
} from '@gisbi/contracts';
import { EventOutbox } from '@gisbi/platform';
import type { TestApp } from '@gisbi/testing';
import { AuthHarness, eventOfType, settle } from '../testing/auth-harness';
import { UsersService } from './users.service';
import { VibeExpiryJob } from './vibe-expiry.job';

describe(UsersService.name, () => {
  let harness: AuthHarness;

  beforeAll(async () => {
    harness = await AuthHarness.start({ label: 'authprofile' });
  });

  afterAll(async () => {
    await harness?.close();
  });

  const update = (user: LoginSocialResponse, changes: unknown) =>
    harness.rpc<User>(RpcMethod.auth.profileUpdate, { userId: user.user.id, changes });
  const updated = async (user: LoginSocialResponse, changes: unknown): Promise<User> => {
    const reply = await update(user, changes);
    if (!reply.ok) throw new Error(JSON.stringify(reply.error));
    return reply.result;
  };
  const stored = async (user: LoginSocialResponse): Promise<User> =>
    (await harness.ok<UsersGetManyResponse>(RpcMethod.auth.usersGetMany, { userIds: [user.user.id] })).users[user.user.id] as User;
  const minutesFromNow = (minutes: number) => new Date(harness.clock.nowMs() + minutes * 60_000).toISOString();

  describe('profile.update', () => {
    it('updates name, avatar, age and gender and returns the contract User', async () => {
      const ada = await harness.login('g-profile', { name: 'Ada' });

      const sut = await updated(ada, { name: '  Ada L.  ', avatar: 'https://cdn.example.com/ada.png', age: 28, gender: 'female' });

      expect(sut).toEqual({
        id: ada.user.id,
        name: 'Ada L.',
        age: 28,
        avatar: 'https://cdn.example.com/ada.png',
        gender: 'female',
        vibe: null,
        vibeExpiresAt: null,
      });
      expect(await stored(ada)).toMatchObject(sut);
    });

    it('clears avatar with "" or null, age and gender with null, and leaves absent fields alone', async () => {
      const ada = await harness.login('g-clear', { name: 'Ada' });
      await updated(ada, { avatar: 'https://cdn.example.com/a.png', age: 30, gender: 'f' });

      expect(await updated(ada, { avatar: '' })).toMatchObject({ avatar: null, age: 30, gender: 'f', name: 'Ada' });
      await updated(ada, { avatar: 'https://cdn.example.com/b.png' });
      expect(await updated(ada, { avatar: null, age: null, gender: null })).toMatchObject({ avatar: null, age: null, gender: null, name: 'Ada' });
      expect(await updated(ada, {})).toMatchObject({ name: 'Ada', avatar: null });
    });

    it.each([
      ['an unknown field', { name: 'X', isAdmin: true }, 'isAdmin is not an accepted field'],
      ['an id', { id: 'user_999' }, 'id is not an accepted field'],
      ['a negative age', { name: 'X', age: -1 }, 'age must be an integer between 0 and 150'],
      ['a fractional age', { age: 1.5 }, 'age must be an integer between 0 and 150'],
      ['an age as text', { age: '28' }, 'age must be an integer between 0 and 150'],
      ['a blank name', { name: '   ' }, 'name must not be empty'],
      ['a null name', { name: null }, 'name must be a string'],
      ['a relative avatar', { avatar: '/me.png' }, 'avatar must be an http(s) URL without user credentials'],
      ['a long vibe', { vibe: 'v'.repeat(141) }, 'vibe must be at most 140 characters'],
      ['a vibe lifetime beyond the maximum', { vibe: 'x', vibeExpiresInMinutes: 1441 }, 'vibeExpiresInMinutes must be an integer between 1 and 1440'],
      ['changes that are not an object', ['name'], 'payload must be a JSON object'],
    ])('refuses %s with 400 and changes nothing', async (_case, changes, message) => {
      const ada = await harness.login(`g-invalid-${_case}`, { name: 'Unchanged' });
      const deliveries = harness.deliveries(ada.user.id);

      expect(await update(ada, changes)).toEqual({
        ok: false,
        error: { code: ErrorCode.validation_failed, message, domain: 'auth', status: 400 },
      });
      await settle(harness.nc, 50);
      expect(await stored(ada)).toEqual({ ...ada.user, deleted: false });
      expect(deliveries.received).toEqual([]);
    });

    it('refuses fields beside changes in the request and an unknown user', async () => {
      const ada = await harness.login('g-extra');

      expect(await harness.rpc(RpcMethod.auth.profileUpdate, { userId: ada.user.id, changes: {}, name: 'X' })).toMatchObject({
        ok: false,
        error: { code: ErrorCode.validation_failed },
      });
      expect(await harness.rpc(RpcMethod.auth.profileUpdate, { userId: 'user_ghost', changes: { name: 'X' } })).toMatchObject({
        ok: false,
        error: { code: ErrorCode.user_not_found, status: 404 },
      });
    });

    it('delivers user.profile.updated to every socket of the user and writes auth.user_updated', async () => {
      const ada = await harness.login('g-events', { name: 'Ada' });
      const deliveries = harness.deliveries(ada.user.id);

      const user = await updated(ada, { name: 'Ada Events' });

      await expect(deliveries.next(eventOfType('user.profile.updated'))).resolves.toEqual({
        type: 'user.profile.updated',
        payload: { user },
        timestamp: harness.clock.nowIso(),
      });
      await harness.sut.get(EventOutbox).flush();
      const events = await harness.streamedEvents(DomainEvent.UserUpdated);
      expect(events.filter((event) => event.payload.user.id === ada.user.id).map((event) => event.payload)).toEqual([{ user }]);
    });

    it('still delivers user.profile.updated when nothing changed, but writes no domain event', async () => {
      const ada = await harness.login('g-noop', { name: 'Same' });
      const deliveries = harness.deliveries(ada.user.id);

      const same = await updated(ada, { name: 'Same' });
      const empty = await updated(ada, {});

      expect(same).toEqual(ada.user);
      expect(empty).toEqual(ada.user);
      for (let update = 0; update < 2; update++) {
        await expect(deliveries.next(eventOfType('user.profile.updated'))).resolves.toMatchObject({ payload: { user: ada.user } });
      }
      await harness.sut.get(EventOutbox).flush();
      const events = await harness.streamedEvents(DomainEvent.UserUpdated);
      expect(events.filter((event) => event.payload.user.id === ada.user.id)).toEqual([]);
    });
  });

  describe('vibe', () => {
    it('expires after VIBE_DEFAULT_MINUTES by default, or after vibeExpiresInMinutes', async () => {
      const ada = await harness.login('g-vibe');

      expect(await updated(ada, { vibe: ' coffee? ' })).toMatchObject({ vibe: 'coffee?', vibeExpiresAt: minutesFromNow(240) });
      expect(await updated(ada, { vibe: 'jazz', vibeExpiresInMinutes: 30 })).toMatchObject({ vibe: 'jazz', vibeExpiresAt: minutesFromNow(30) });
      expect(await updated(ada, { vibeExpiresInMinutes: 90 })).toMatchObject({ vibe: 'jazz', vibeExpiresAt: minutesFromNow(90) });
    });

    it('clears the vibe and its expiry with null or a blank vibe', async () => {
      const ada = await harness.login('g-vibe-clear');
      await updated(ada, { vibe: 'x' });

      expect(await updated(ada, { vibe: null })).toMatchObject({ vibe: null, vibeExpiresAt: null });
      await updated(ada, { vibe: 'y' });
      expect(await updated(ada, { vibe: '  ' })).toMatchObject({ vibe: null, vibeExpiresAt: null });
    });

    it('refuses a lifetime without a vibe, or with a vibe being cleared', async () => {
      const ada = await harness.login('g-vibe-lifetime');

      expect(await update(ada, { vibeExpiresInMinutes: 10 })).toMatchObject({ ok: false, error: { code: ErrorCode.validation_failed } });
      await updated(ada, { vibe: 'z' });
      expect(await update(ada, { vibe: null, vibeExpiresInMinutes: 10 })).toMatchObject({ ok: false, error: { code: ErrorCode.validation_failed } });
      expect(await stored(ada)).toMatchObject({ vibe: 'z' });
    });
  });

  describe(VibeExpiryJob.name, () => {
    it('clears a vibe at vibeExpiresAt exactly, not before, and tells every socket', async () => {
      const sut = harness.sut.get(VibeExpiryJob);
      const ada = await harness.login('g-expiry', { name: 'Ada' });
      const withVibe = await updated(ada, { vibe: 'brunch', vibeExpiresInMinutes: 15 });
      const deliveries = harness.deliveries(ada.user.id);

      harness.clock.advance(15 * 60_000 - 1);
      expect((await sut.expireDue()).filter((expired) => expired.user.id === ada.user.id)).toEqual([]);
      harness.clock.advance(1);
      const expired = await sut.expireDue();

      const user = { ...withVibe, vibe: null, vibeExpiresAt: null };
      expect(expired).toEqual([{ user, expiredAt: withVibe.vibeExpiresAt }]);
      await deliveries.next(eventOfType('user.profile.updated'));
      const timestamp = harness.clock.nowIso();
      expect(deliveries.received).toEqual([
        { type: 'vibe.expired', payload: { expiredAt: withVibe.vibeExpiresAt }, timestamp },
        { type: 'user.profile.updated', payload: { user }, timestamp },
      ]);
      expect(await stored(ada)).toMatchObject({ vibe: null, vibeExpiresAt: null });
      await harness.sut.get(EventOutbox).flush();
      const events = await harness.streamedEvents(DomainEvent.UserUpdated);
      expect(events.filter((event) => event.payload.user.id === ada.user.id).at(-1)?.payload).toEqual({ user });
    });

    it('expires each vibe exactly once when several replicas race the job', async () => {
      const replicas: TestApp[] = [harness.sut, await harness.startInstance(), await harness.startInstance()];
      const users = await Promise.all(Array.from({ length: 30 }, (_, index) => harness.login(`g-race-${index}`)));
      await Promise.all(users.map((user) => updated(user, { vibe: 'racing', vibeExpiresInMinutes: 5 })));
      const deliveries = users.map((user) => harness.deliveries(user.user.id));
      harness.clock.advance(5 * 60_000);

      const runs = await Promise.all(
        replicas.flatMap((replica) => [replica.get(VibeExpiryJob).expireDue(), replica.get(VibeExpiryJob).expireDue()]),
      );
      await settle(harness.nc);

      const expiredIds = runs.flat().map((expired) => expired.user.id);
      expect(expiredIds.sort()).toEqual(users.map((user) => user.user.id).sort());
      for (const recorder of deliveries) {
        expect(recorder.ofType('vibe.expired')).toHaveLength(1);
        expect(recorder.ofType('user.profile.updated')).toHaveLength(1);
      }
      await harness.sut.get(EventOutbox).flush();
      const events = await harness.streamedEvents(DomainEvent.UserUpdated);
      for (const user of users) {
        const cleared = events.filter((event) => event.payload.user.id === user.user.id && event.payload.user.vibe === null);
        expect(cleared).toHaveLength(1);
      }
    });

    it('runs on its own every JOB_POLL_INTERVAL_MS', async () => {
      const ticking = await harness.startInstance({ env: { JOB_POLL_INTERVAL_MS: '50' } });
      const ada = await harness.login('g-periodic');
      await updated(ada, { vibe: 'soon', vibeExpiresInMinutes: 1 });
      const deliveries = harness.deliveries(ada.user.id);

      harness.clock.advance(60_000);

      await expect(deliveries.next(eventOfType('vibe.expired'))).resolves.toMatchObject({ type: 'vibe.expired' });
      await ticking.close();
    });
  });

  describe('users.get_many and bootstrap', () => {
    it('answers a batch in one call, leaving unknown ids out', async () => {
      const [ada, bob] = await Promise.all([harness.login('g-many-a', { name: 'A' }), harness.login('g-many-b', { name: 'B' })]);

      const { users } = await harness.ok<UsersGetManyResponse>(RpcMethod.auth.usersGetMany, {
        userIds: [ada.user.id, bob.user.id, ada.user.id, 'user_unknown'],
      });

      expect(users).toEqual({ [ada.user.id]: { ...ada.user, deleted: false }, [bob.user.id]: { ...bob.user, deleted: false } });
      await expect(harness.ok(RpcMethod.auth.usersGetMany, { userIds: [] })).resolves.toEqual({ users: {} });
    });

    it('caps the batch size and refuses malformed lists', async () => {
      const tooMany = Array.from({ length: 501 }, (_, index) => `user_${index}`);

      for (const userIds of [tooMany, 'user_1', [1, 2], undefined]) {
        expect(await harness.rpc(RpcMethod.auth.usersGetMany, { userIds })).toMatchObject({
          ok: false,
          error: { code: ErrorCode.validation_failed, status: 400 },
        });
      }
    });

    it('answers bootstrap with the current user', async () => {
      const ada = await harness.login('g-boot', { name: 'Boot' });

      await expect(harness.ok<BootstrapPart>(RpcMethod.all.bootstrap, { userId: ada.user.id, lastSeenAt: '2026-04-19T08:00:00Z' })).resolves.toEqual({
        currentUser: ada.user,
      });
      expect(await harness.rpc(RpcMethod.all.bootstrap, { userId: 'user_ghost' })).toMatchObject({
        ok: false,
        error: { code: ErrorCode.user_not_found, status: 404 },
      });
    });
  });
});
