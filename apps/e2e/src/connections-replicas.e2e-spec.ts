import type { ConnectionRequest, ConnectionRequestSentPayload } from '@gisbi/contracts';
import { startStack, type SignedInUser, type Stack, type TestSocket } from '@gisbi/testing';

type Connected = SignedInUser & { socket: TestSocket };

/** Issue 4, "done when": two replicas of connections still produce exactly one missed event per expired request per user. */
describe('connections with two replicas, end to end', () => {
  let stack: Stack;
  let users: Connected[];

  beforeAll(async () => {
    stack = await startStack({
      label: 'connreplicas',
      env: { CONNECTION_REQUEST_TTL_SECONDS: '2', JOB_POLL_INTERVAL_MS: '200' },
      replicas: { connections: 2 },
    });
    users = await Promise.all(['ada', 'bola', 'carol', 'dan'].map((name) => stack.connectedUser(`replicas-${name}`, name)));
  }, 120_000);

  afterAll(async () => {
    await Promise.all((users ?? []).map((user) => user.socket.close()));
    await stack?.stop();
  });

  it('announces every expired request exactly once to each of its two users', async () => {
    const [ada, bola, carol, dan] = users as [Connected, Connected, Connected, Connected];
    const pairs: Array<[Connected, Connected]> = [
      [ada, bola],
      [carol, dan],
      [bola, carol],
      [dan, ada],
    ];
    const requests: ConnectionRequest[] = [];
    for (const [from, to] of pairs) {
      const reply = await from.socket.request<ConnectionRequestSentPayload>('connection.request.send', { userId: to.user.id });
      expect(reply.type).toBe('connection.request.send');
      requests.push(reply.payload.request);
    }
    for (const [index, [from, to]] of pairs.entries()) {
      const requestId = requests[index]?.requestId;
      await Promise.all([
        from.socket.next('connection.request.missed', (p) => p['requestId'] === requestId, 8000),
        to.socket.next('connection.request.missed', (p) => p['requestId'] === requestId, 8000),
      ]);
    }
    // Several more job rounds on both replicas: nothing is announced twice.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    for (const user of users) {
      const missed = user.socket.received.filter((e) => e.type === 'connection.request.missed').map((e) => e.payload['requestId']);
      expect(missed).toHaveLength(2);
      expect(new Set(missed).size).toBe(2);
    }
    expect(stack.replicasOf('connections')).toHaveLength(2);
  });
});
