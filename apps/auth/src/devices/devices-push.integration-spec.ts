import type { BatchResponse, MulticastMessage } from 'firebase-admin/messaging';
import {
  ErrorCode,
  RpcMethod,
  type DeactivateDevicesResponse,
  type DevicesForPushResponse,
  type DevicesRegisterResponse,
  type LoginSocialResponse,
  type PushSendResponse,
} from '@gisbi/contracts';
import { FcmPushTransport, type MulticastSender } from '../push/fcm-push.transport';
import { PushService } from '../push/push.service';
import { PushTransport } from '../push/push-transport';
import { AuthHarness } from '../testing/auth-harness';
import { DevicesService } from './devices.service';

describe(DevicesService.name, () => {
  let harness: AuthHarness;

  beforeAll(async () => {
    harness = await AuthHarness.start({ label: 'authdevices', env: { MAX_ACTIVE_DEVICES_PER_USER: '3' } });
  });

  afterAll(async () => {
    await harness?.close();
  });

  const register = (user: LoginSocialResponse, body: Record<string, unknown>) =>
    harness.rpc<DevicesRegisterResponse>(RpcMethod.auth.devicesRegister, { userId: user.user.id, ...body });
  const devicesOf = async (...users: LoginSocialResponse[]) =>
    (await harness.ok<DevicesForPushResponse>(RpcMethod.auth.devicesForPush, { userIds: users.map((user) => user.user.id) })).devices;

  describe('devices.register', () => {
    it('registers a token and answers the contract shape', async () => {
      const ada = await harness.login('g-register');

      const sut = await register(ada, { token: 'fcm_or_apns_token', platform: 'android' });

      expect(sut).toEqual({ ok: true, result: { status: 'ok', device: { token: 'fcm_or_apns_token', platform: 'android', isActive: true } } });
      expect(await devicesOf(ada)).toEqual({ [ada.user.id]: [{ token: 'fcm_or_apns_token', platform: 'android' }] });
    });

    it('is an upsert: registering again refreshes the platform and reactivates', async () => {
      const ada = await harness.login('g-upsert');
      await register(ada, { token: 'tok-upsert', platform: 'android' });
      await harness.ok(RpcMethod.auth.deactivateDevices, { tokens: ['tok-upsert'] });

      await register(ada, { token: 'tok-upsert', platform: 'ios' });

      expect(await devicesOf(ada)).toEqual({ [ada.user.id]: [{ token: 'tok-upsert', platform: 'ios' }] });
    });

    it('moves a token to the user who registers it (one install, one token)', async () => {
      const ada = await harness.login('g-move-a');
      const bob = await harness.login('g-move-b');
      await register(ada, { token: 'shared-install', platform: 'ios' });

      await register(bob, { token: 'shared-install', platform: 'ios' });

      expect(await devicesOf(ada, bob)).toEqual({ [bob.user.id]: [{ token: 'shared-install', platform: 'ios' }] });
    });

    it('keeps at most MAX_ACTIVE_DEVICES_PER_USER active tokens, dropping the least recently registered', async () => {
      const ada = await harness.login('g-cap');
      for (const token of ['cap-1', 'cap-2', 'cap-3']) {
        await register(ada, { token, platform: 'android' });
        harness.clock.advanceSeconds(1);
      }

      await register(ada, { token: 'cap-4', platform: 'android' });

      expect((await devicesOf(ada))[ada.user.id]?.map((device) => device.token)).toEqual(['cap-4', 'cap-3', 'cap-2']);
    });

    it('accepts tokens longer than an index entry', async () => {
      const ada = await harness.login('g-long');
      const token = 't'.repeat(4096);

      expect((await register(ada, { token, platform: 'web' })).ok).toBe(true);
      expect((await devicesOf(ada))[ada.user.id]).toEqual([{ token, platform: 'web' }]);
    });

    it.each([
      [{ platform: 'android' }, ErrorCode.validation_failed],
      [{ token: '', platform: 'android' }, ErrorCode.validation_failed],
      [{ token: 't', platform: 'nokia' }, ErrorCode.validation_failed],
      [{ token: 't', platform: 'ios', isActive: false }, ErrorCode.validation_failed],
    ])('refuses %p', async (body, code) => {
      const ada = await harness.login('g-register-invalid');

      expect(await register(ada, body)).toMatchObject({ ok: false, error: { code, status: 400 } });
    });

    it('refuses an unknown user', async () => {
      expect(await harness.rpc(RpcMethod.auth.devicesRegister, { userId: 'user_ghost', token: 't', platform: 'ios' })).toMatchObject({
        ok: false,
        error: { code: ErrorCode.user_not_found, status: 404 },
      });
    });
  });

  describe('devices.for_push and devices.deactivate', () => {
    it('lists the active devices of several users in one call', async () => {
      const ada = await harness.login('g-push-a');
      const bob = await harness.login('g-push-b');
      const carol = await harness.login('g-push-c');
      await register(ada, { token: 'a-1', platform: 'ios' });
      harness.clock.advanceSeconds(1);
      await register(ada, { token: 'a-2', platform: 'android' });
      await register(bob, { token: 'b-1', platform: 'web' });

      expect(await devicesOf(ada, bob, carol)).toEqual({
        [ada.user.id]: [
          { token: 'a-2', platform: 'android' },
          { token: 'a-1', platform: 'ios' },
        ],
        [bob.user.id]: [{ token: 'b-1', platform: 'web' }],
      });
    });

    it('deactivates the reported tokens, whoever owns them, counting only the active ones', async () => {
      const ada = await harness.login('g-deactivate');
      await register(ada, { token: 'dead-1', platform: 'ios' });
      await register(ada, { token: 'alive-1', platform: 'ios' });

      await expect(harness.ok<DeactivateDevicesResponse>(RpcMethod.auth.deactivateDevices, { tokens: ['dead-1', 'dead-1', 'never-seen'] })).resolves.toEqual({
        deactivated: 1,
      });
      await expect(harness.ok(RpcMethod.auth.deactivateDevices, { tokens: ['dead-1'] })).resolves.toEqual({ deactivated: 0 });
      expect((await devicesOf(ada))[ada.user.id]).toEqual([{ token: 'alive-1', platform: 'ios' }]);
      expect(await harness.rpc(RpcMethod.auth.deactivateDevices, { tokens: 'dead-1' })).toMatchObject({ ok: false, error: { status: 400 } });
    });
  });

  describe('push.send with the recording transport', () => {
    it('records one attempt per active device', async () => {
      const ada = await harness.login('g-record');
      await register(ada, { token: 'rec-1', platform: 'ios' });
      await register(ada, { token: 'rec-2', platform: 'android' });
      await harness.ok(RpcMethod.auth.deactivateDevices, { tokens: ['rec-2'] });
      await register(ada, { token: 'rec-3', platform: 'web' });

      const sut = await harness.ok<PushSendResponse>(RpcMethod.auth.pushSend, {
        userId: ada.user.id,
        title: 'Bola',
        body: 'Hello there',
        data: { type: 'chat.message.created', messageId: 'msg_1' },
        collapseKey: 'chat:user_bola',
      });

      expect(sut).toEqual({ sent: 2 });
      const attempts: unknown[] = await harness
        .dataSource()
        .query('SELECT user_id, token, title, body, data, collapse_key, outcome, created_at FROM push_attempts WHERE user_id = $1 ORDER BY token', [
          ada.user.id,
        ]);
      const attempt = (token: string) => ({
        user_id: ada.user.id,
        token,
        title: 'Bola',
        body: 'Hello there',
        data: { type: 'chat.message.created', messageId: 'msg_1' },
        collapse_key: 'chat:user_bola',
        outcome: 'recorded',
        created_at: harness.clock.now(),
      });
      expect(attempts).toEqual([attempt('rec-1'), attempt('rec-3')]);
    });

    it('sends nothing to a user without devices, or a deleted one', async () => {
      const ada = await harness.login('g-no-devices');
      const eve = await harness.login('g-deleted-push', { extra: { deviceToken: 'eve-dev', devicePlatform: 'ios' } });
      await harness.ok(RpcMethod.auth.accountDelete, { userId: eve.user.id, reason: 'bye' });

      await expect(harness.ok(RpcMethod.auth.pushSend, { userId: ada.user.id, title: 't', body: 'b' })).resolves.toEqual({ sent: 0 });
      await expect(harness.ok(RpcMethod.auth.pushSend, { userId: eve.user.id, title: 't', body: 'b' })).resolves.toEqual({ sent: 0 });
      await expect(harness.ok(RpcMethod.auth.pushSend, { userId: 'user_ghost', title: 't', body: 'b' })).resolves.toEqual({ sent: 0 });
    });

    it.each([
      [{ title: 't', body: 'b' }, ErrorCode.missing_userId],
      [{ userId: 'user_1', body: 'b' }, ErrorCode.validation_failed],
      [{ userId: 'user_1', title: 't', body: 'b', data: { n: 1 } }, ErrorCode.validation_failed],
      [{ userId: 'user_1', title: 't', body: 'b', data: ['x'] }, ErrorCode.validation_failed],
    ])('refuses a malformed request %p', async (body, code) => {
      expect(await harness.rpc(RpcMethod.auth.pushSend, body)).toMatchObject({ ok: false, error: { code, status: 400 } });
    });
  });

  describe('push.send through FCM', () => {
    /** Stands in for FCM: answers per token as scripted and remembers what it was asked to send. */
    class ScriptedFcm implements MulticastSender {
      readonly messages: MulticastMessage[] = [];
      constructor(private readonly answers: Record<string, string | 'ok' | 'throw'>) {}

      async sendEachForMulticast(message: MulticastMessage): Promise<BatchResponse> {
        this.messages.push(message);
        if (message.tokens.some((token) => this.answers[token] === 'throw')) {
          throw Object.assign(new Error('connect ETIMEDOUT'), { code: 'app/network-timeout' });
        }
        const responses = message.tokens.map((token) => {
          const answer = this.answers[token] ?? 'ok';
          return answer === 'ok'
            ? { success: true, messageId: `projects/p/messages/${token}` }
            : { success: false, error: Object.assign(new Error(answer), { code: answer, toJSON: () => ({ code: answer }) }) };
        });
        return {
          responses,
          successCount: responses.filter((response) => response.success).length,
          failureCount: responses.filter((response) => !response.success).length,
        } as BatchResponse;
      }
    }

    const pushServiceWith = (fcm: ScriptedFcm) =>
      new PushService(harness.sut.get(DevicesService), new FcmPushTransport(() => Promise.resolve(fcm)));

    it('deactivates the tokens FCM reports unregistered or invalid, and keeps the others', async () => {
      const ada = await harness.login('g-fcm');
      for (const token of ['fcm-ok', 'fcm-unregistered', 'fcm-invalid']) await register(ada, { token, platform: 'android' });
      await register(ada, { token: 'fcm-quota', platform: 'ios' });
      const fcm = new ScriptedFcm({
        'fcm-unregistered': 'messaging/registration-token-not-registered',
        'fcm-invalid': 'messaging/invalid-registration-token',
        'fcm-quota': 'messaging/quota-exceeded',
      });
      const sut = pushServiceWith(fcm);

      await expect(sut.send({ userId: ada.user.id, title: 'Hi', body: 'there', collapseKey: 'chat:1' })).resolves.toEqual({ sent: 1 });

      expect(fcm.messages).toHaveLength(1);
      expect(fcm.messages[0]).toMatchObject({
        notification: { title: 'Hi', body: 'there' },
        android: { collapseKey: 'chat:1' },
        apns: { headers: { 'apns-collapse-id': 'chat:1' } },
      });
      expect((await devicesOf(ada))[ada.user.id]?.map((device) => device.token).sort()).toEqual(['fcm-ok', 'fcm-quota']);
    });

    it('never throws when FCM itself fails, and keeps every token', async () => {
      const ada = await harness.login('g-fcm-down');
      await register(ada, { token: 'fcm-down-1', platform: 'android' });
      const sut = pushServiceWith(new ScriptedFcm({ 'fcm-down-1': 'throw' }));

      await expect(sut.send({ userId: ada.user.id, title: 'Hi', body: 'there' })).resolves.toEqual({ sent: 0 });

      expect((await devicesOf(ada))[ada.user.id]).toEqual([{ token: 'fcm-down-1', platform: 'android' }]);
    });

    it('is the transport chosen when Firebase credentials are configured', () => {
      expect(harness.sut.app.get(PushTransport).name).toBe('recording');
      expect(harness.config({ FIREBASE_PROJECT_ID: 'p', FIREBASE_CLIENT_EMAIL: 'e@p.iam.gserviceaccount.com', FIREBASE_PRIVATE_KEY: 'k' }).pushTransport).toBe('fcm');
    });
  });
});
