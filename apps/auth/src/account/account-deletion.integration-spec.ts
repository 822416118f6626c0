import { decodeJwt } from 'jose';
import {
  DomainEvent,
  ErrorCode,
  RpcMethod,
  SocketCloseCode,
  type DevicesForPushResponse,
  type LoginSocialResponse,
  type UsersGetManyResponse,
} from '@gisbi/contracts';
import { EventOutbox } from '@gisbi/platform';
import { AuthHarness, settle } from '../testing/auth-harness';
import { AccountService } from './account.service';

describe(AccountService.name, () => {
  let harness: AuthHarness;

  beforeAll(async () => {
    harness = await AuthHarness.start({ label: 'authdelete' });
  });

  afterAll(async () => {
    await harness?.close();
  });

  const deleteAccount = (user: LoginSocialResponse, body: Record<string, unknown>) =>
    harness.rpc(RpcMethod.auth.accountDelete, { userId: user.user.id, ...body });
  const accessCheck = (user: LoginSocialResponse) =>
    harness.ok(RpcMethod.auth.accessCheck, { userId: user.user.id, sessionId: String(decodeJwt(user.accessToken)['sid']) });

  describe('account.delete', () => {
    it('requires a reason and changes nothing without one', async () => {
      const ada = await harness.login('g-reason');

      for (const body of [{}, { reason: '' }, { reason: '   ' }]) {
        expect(await deleteAccount(ada, body)).toMatchObject({ ok: false, error: { code: ErrorCode.missing_reason, status: 400 } });
      }
      expect(await deleteAccount(ada, { reason: 'r'.repeat(501) })).toMatchObject({ ok: false, error: { code: ErrorCode.validation_failed } });
      expect(await deleteAccount(ada, { reason: 'x', extra: 1 })).toMatchObject({ ok: false, error: { code: ErrorCode.validation_failed } });
      await expect(accessCheck(ada)).resolves.toEqual({ active: true });
    });

    describe('a deleted account', () => {
      let eve: LoginSocialResponse;
      let otherSession: LoginSocialResponse;
      let closed: Promise<unknown>;

      beforeAll(async () => {
        eve = await harness.login('g-eve', { name: 'Eve', extra: { deviceToken: 'eve-phone', devicePlatform: 'ios' } });
        otherSession = await harness.login('g-eve', { extra: { deviceToken: 'eve-tablet', devicePlatform: 'android' } });
        await harness.ok(RpcMethod.auth.profileUpdate, { userId: eve.user.id, changes: { vibe: 'leaving soon' } });
        const deliveries = harness.deliveries(eve.user.id);
        closed = deliveries.next((delivery) => delivery.control !== undefined);

        await expect(deleteAccount(eve, { reason: '  moving on  ' })).resolves.toEqual({ ok: true, result: { status: 'ok' } });
      });

      it('closes every socket of the user', async () => {
        await expect(closed).resolves.toEqual({ control: { closeCode: SocketCloseCode.AccountDeleted, reason: 'account deleted' } });
      });

      it('is kept as a soft delete with its reason, and reported deleted by users.get_many', async () => {
        const rows: Array<{ deleted_at: Date; deletion_reason: string; vibe: string | null }> = await harness
          .dataSource()
          .query('SELECT deleted_at, deletion_reason, vibe FROM users WHERE id = $1', [eve.user.id]);
        expect(rows).toEqual([{ deleted_at: harness.clock.now(), deletion_reason: 'moving on', vibe: null }]);

        const { users } = await harness.ok<UsersGetManyResponse>(RpcMethod.auth.usersGetMany, { userIds: [eve.user.id] });
        expect(users[eve.user.id]).toEqual({ ...eve.user, deleted: true });
      });

      it('fails access.check for every session', async () => {
        await expect(accessCheck(eve)).resolves.toEqual({ active: false, reason: 'account_deleted' });
        await expect(accessCheck(otherSession)).resolves.toEqual({ active: false, reason: 'account_deleted' });
        const rows: Array<{ revoked_reason: string }> = await harness
          .dataSource()
          .query('SELECT revoked_reason FROM sessions WHERE user_id = $1', [eve.user.id]);
        expect(rows).toEqual([{ revoked_reason: 'account_deleted' }, { revoked_reason: 'account_deleted' }]);
      });

      it('refuses its refresh tokens', async () => {
        for (const user of [eve, otherSession]) {
          expect(await harness.rpc(RpcMethod.auth.tokenRefresh, { refreshToken: user.refreshToken })).toMatchObject({
            ok: false,
            error: { code: ErrorCode.account_deleted, status: 401 },
          });
        }
      });

      it('refuses to sign in again with the same identity', async () => {
        const idToken = await harness.idToken({ provider: 'google', sub: 'g-eve' });

        expect(await harness.rpc(RpcMethod.auth.loginSocial, { provider: 'google', idToken })).toMatchObject({
          ok: false,
          error: { code: ErrorCode.account_deleted, status: 403 },
        });
      });

      it('has no active devices and refuses new ones, profile changes and bootstrap', async () => {
        const { devices } = await harness.ok<DevicesForPushResponse>(RpcMethod.auth.devicesForPush, { userIds: [eve.user.id] });
        expect(devices).toEqual({});
        const rows: Array<{ is_active: boolean }> = await harness
          .dataSource()
          .query('SELECT is_active FROM devices WHERE user_id = $1', [eve.user.id]);
        expect(rows).toEqual([{ is_active: false }, { is_active: false }]);

        const forbidden = { ok: false, error: { code: ErrorCode.account_deleted, status: 403 } };
        expect(await harness.rpc(RpcMethod.auth.devicesRegister, { userId: eve.user.id, token: 'new', platform: 'ios' })).toMatchObject(forbidden);
        expect(await harness.rpc(RpcMethod.auth.profileUpdate, { userId: eve.user.id, changes: { name: 'Back' } })).toMatchObject(forbidden);
        expect(await harness.rpc(RpcMethod.all.bootstrap, { userId: eve.user.id })).toMatchObject(forbidden);
      });

      it('publishes auth.user_deleted on JetStream, once, even when deleted again', async () => {
        expect(await deleteAccount(eve, { reason: 'again' })).toEqual({ ok: true, result: { status: 'ok' } });
        await harness.sut.get(EventOutbox).flush();

        const events = await harness.streamedEvents(DomainEvent.UserDeleted);

        expect(events.filter((event) => event.payload.userId === eve.user.id)).toEqual([
          {
            id: expect.stringMatching(/^evt_/),
            name: DomainEvent.UserDeleted,
            occurredAt: harness.clock.nowIso(),
            payload: { userId: eve.user.id, deletedAt: harness.clock.nowIso() },
          },
        ]);
      });
    });

    it('refuses an unknown user', async () => {
      expect(await harness.rpc(RpcMethod.auth.accountDelete, { userId: 'user_ghost', reason: 'x' })).toMatchObject({
        ok: false,
        error: { code: ErrorCode.user_not_found, status: 404 },
      });
    });

    it('does not touch other accounts', async () => {
      const keeper = await harness.login('g-keeper');
      const leaver = await harness.login('g-leaver');
      const keeperDeliveries = harness.deliveries(keeper.user.id);

      await deleteAccount(leaver, { reason: 'bye' });
      await settle(harness.nc);

      await expect(accessCheck(keeper)).resolves.toEqual({ active: true });
      expect(keeperDeliveries.received).toEqual([]);
    });
  });
});
