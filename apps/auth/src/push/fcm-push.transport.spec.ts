import type { BatchResponse, MulticastMessage } from 'firebase-admin/messaging';
import { FCM_MULTICAST_LIMIT, FcmPushTransport, toMulticastMessage } from './fcm-push.transport';

const devices = (count: number) => Array.from({ length: count }, (_, index) => ({ token: `t${index}`, platform: 'android' as const }));

const answering = (codeOf: (token: string) => string | undefined) => {
  const calls: MulticastMessage[] = [];
  const sender = {
    sendEachForMulticast: (message: MulticastMessage): Promise<BatchResponse> => {
      calls.push(message);
      const responses = message.tokens.map((token) => {
        const code = codeOf(token);
        return code === undefined
          ? { success: true, messageId: token }
          : { success: false, error: Object.assign(new Error(code), { code, toJSON: () => ({ code }) }) };
      });
      return Promise.resolve({ responses, successCount: 0, failureCount: 0 } as BatchResponse);
    },
  };
  return { calls, transport: new FcmPushTransport(() => Promise.resolve(sender)) };
};

describe(FcmPushTransport.name, () => {
  const notification = { userId: 'user_1', title: 'T', body: 'B' };

  it('maps every per-token answer to an outcome, in order', async () => {
    const { transport } = answering((token) =>
      token === 't1' ? 'messaging/registration-token-not-registered' : token === 't2' ? 'messaging/internal-error' : undefined,
    );

    await expect(transport.send(devices(3), notification)).resolves.toEqual([
      { token: 't0', outcome: 'sent' },
      { token: 't1', outcome: 'invalid_token', errorCode: 'messaging/registration-token-not-registered' },
      { token: 't2', outcome: 'failed', errorCode: 'messaging/internal-error' },
    ]);
  });

  it('splits large audiences into multicasts of at most 500 tokens', async () => {
    const { calls, transport } = answering(() => undefined);

    const results = await transport.send(devices(FCM_MULTICAST_LIMIT + 1), notification);

    expect(calls.map((call) => call.tokens.length)).toEqual([FCM_MULTICAST_LIMIT, 1]);
    expect(results).toHaveLength(FCM_MULTICAST_LIMIT + 1);
  });

  it('reports every token failed (never dead) when the whole call fails', async () => {
    const transport = new FcmPushTransport(() => Promise.reject(Object.assign(new Error('no credentials'), { code: 'app/invalid-credential' })));

    await expect(transport.send(devices(2), notification)).resolves.toEqual([
      { token: 't0', outcome: 'failed', errorCode: 'app/invalid-credential' },
      { token: 't1', outcome: 'failed', errorCode: 'app/invalid-credential' },
    ]);
  });
});

describe(toMulticastMessage.name, () => {
  it('builds the notification, data and collapse keys for Android and APNs', () => {
    expect(toMulticastMessage(['a'], { userId: 'u', title: 'T', body: 'B', data: { k: 'v' }, collapseKey: 'chat:1' })).toEqual({
      tokens: ['a'],
      notification: { title: 'T', body: 'B' },
      data: { k: 'v' },
      android: { priority: 'high', collapseKey: 'chat:1' },
      apns: { headers: { 'apns-priority': '10', 'apns-collapse-id': 'chat:1' }, payload: { aps: { sound: 'default' } } },
    });
  });

  it('leaves data and collapse keys out when not given', () => {
    expect(toMulticastMessage(['a'], { userId: 'u', title: 'T', body: 'B' })).toEqual({
      tokens: ['a'],
      notification: { title: 'T', body: 'B' },
      android: { priority: 'high' },
      apns: { headers: { 'apns-priority': '10' }, payload: { aps: { sound: 'default' } } },
    });
  });
});
