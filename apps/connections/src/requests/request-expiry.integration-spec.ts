import { Client } from 'pg';
import type { ConnectionRequest, ConnectionRequestSentPayload } from '@gisbi/contracts';
import { startTestApp } from '@gisbi/testing';
import { loadConfig } from '@gisbi/platform';
import { connectionsEnvSchema } from '../config/connections-config';
import { ConnectionsModule } from '../connections.module';
import { ConnectionsHarness } from '../test-support/connections-harness';
import { RequestExpiryJob } from './request-expiry.job';

const TTL_MS = 600_000;

describe(`${RequestExpiryJob.name} with two replicas on one database`, () => {
  let sut: ConnectionsHarness;

  beforeAll(async () => {
    sut = await ConnectionsHarness.start({
      instances: 2,
      label: 'connexpiry',
      env: { JOB_POLL_INTERVAL_MS: '3600000', EXPIRY_BATCH_SIZE: '7' },
    });
  });

  afterAll(async () => {
    await sut.close();
  });

  afterEach(async () => {
    // Nothing due is left for the next test.
    sut.clock.advance(TTL_MS + 1);
    await sut.get(RequestExpiryJob).expireDue();
    await sut.settle(100);
    sut.delivered.length = 0;
  });

  async function send(fromId: string, toId: string): Promise<ConnectionRequest> {
    const [event] = await sut.ok('connection.request.send', { userId: toId }, fromId);
    return (event?.payload as ConnectionRequestSentPayload).request;
  }

  /**
   * Makes a race certain instead of likely: a separate session locks the requests' rows, `contenders`
   * start and read them, and only once `waiting` of them are queued on the locks is the session ended,
   * so they all reach the deciding UPDATE with the same stale view.
   */
  async function race(requestIds: string[], waiting: number, contenders: () => Array<Promise<unknown>>): Promise<unknown[]> {
    const blocker = new Client({ connectionString: sut.environment.databaseUrl, options: '-c search_path=connections' });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('SELECT id FROM connection_requests WHERE id = ANY($1) FOR UPDATE', [requestIds]);
      const running = contenders();
      for (let attempt = 0; ; attempt++) {
        const { rows } = await blocker.query<{ count: string }>(
          `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        if (Number(rows[0]?.count) >= waiting) break;
        if (attempt > 200) throw new Error(`only ${rows[0]?.count} of ${waiting} contenders reached the lock`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await blocker.query('COMMIT');
      return await Promise.all(running);
    } finally {
      await blocker.end();
    }
  }

  function pair() {
    return [sut.addUser('A'), sut.addUser('B')] as const;
  }

  function pairs(count: number) {
    return Array.from({ length: count }, (_, index) => [sut.addUser(`A${index}`), sut.addUser(`B${index}`)] as const);
  }

  it('announces each expired request exactly once per user when both replicas run the job at once', async () => {
    const users = pairs(20);
    const requests = await Promise.all(users.map(([a, b]) => send(a.id, b.id)));
    sut.clock.advance(TTL_MS);

    const claimed = await race(
      requests.map((request) => request.requestId),
      4,
      () => [
        sut.get(RequestExpiryJob, 0).expireDue(),
        sut.get(RequestExpiryJob, 1).expireDue(),
        sut.get(RequestExpiryJob, 0).expireDue(),
        sut.get(RequestExpiryJob, 1).expireDue(),
      ],
    );

    expect((claimed as number[]).reduce((sum, count) => sum + count, 0)).toBe(requests.length);
    await sut.settle(400);
    for (const [a, b] of users) {
      expect(sut.deliveriesTo(a.id, 'connection.request.missed')).toHaveLength(1);
      expect(sut.deliveriesTo(b.id, 'connection.request.missed')).toHaveLength(1);
    }
  });

  it('has one winner when an accept on one replica races the job on the other', async () => {
    // Few enough that every contender holds a database connection (pool of 5 per replica) while it waits.
    const users = pairs(3);
    const requests = await Promise.all(users.map(([a, b]) => send(a.id, b.id)));
    sut.clock.advance(TTL_MS);
    const outcomes = await race(
      requests.map((request) => request.requestId),
      requests.length + 2,
      () => [
        ...requests.map((request) => sut.command('connection.request.accept', { requestId: request.requestId }, request.toUserId)),
        sut.get(RequestExpiryJob, 1).expireDue(),
        sut.get(RequestExpiryJob, 0).expireDue(),
      ],
    );
    for (const outcome of outcomes.slice(0, requests.length)) expect(outcome).toMatchObject({ ok: false, error: { code: 'request_expired' } });
    await sut.settle(400);
    for (const [a, b] of users) {
      expect(sut.deliveriesTo(a.id, 'connection.request.missed')).toHaveLength(1);
      expect(sut.deliveriesTo(b.id, 'connection.request.missed')).toHaveLength(1);
    }
  });

  it('creates one request when duplicate sends land on different replicas', async () => {
    const [a, b] = pair();
    const replies = await Promise.all(Array.from({ length: 10 }, () => send(a.id, b.id)));
    expect(new Set(replies.map((request) => request.requestId)).size).toBe(1);
    await sut.settle();
    expect(sut.deliveriesTo(b.id, 'connection.request.send')).toHaveLength(1);
  });

  it('expires what fell due while every replica was down, after a restart', async () => {
    const users = pairs(3);
    await Promise.all(users.map(([a, b]) => send(a.id, b.id)));
    for (const app of sut.apps.splice(0)) await app.close();
    sut.clock.advance(TTL_MS + 60_000);

    const env = loadConfig(connectionsEnvSchema, { ...sut.environment.env, JOB_POLL_INTERVAL_MS: '3600000' });
    sut.apps.push(await startTestApp(ConnectionsModule.forRoot(env), { clock: sut.clock }));
    expect(await sut.get(RequestExpiryJob).expireDue()).toBe(3);
    await sut.settle(300);
    for (const [a, b] of users) {
      expect(sut.deliveriesTo(a.id, 'connection.request.missed')).toHaveLength(1);
      expect(sut.deliveriesTo(b.id, 'connection.request.missed')).toHaveLength(1);
    }
  });

  it('runs on its own timer and announces a miss without anyone asking', async () => {
    for (const app of sut.apps.splice(0)) await app.close();
    const env = loadConfig(connectionsEnvSchema, { ...sut.environment.env, JOB_POLL_INTERVAL_MS: '100' });
    sut.apps.push(await startTestApp(ConnectionsModule.forRoot(env), { clock: sut.clock }));
    sut.apps.push(await startTestApp(ConnectionsModule.forRoot(env), { clock: sut.clock }));
    const [a, b] = pair();
    await send(a.id, b.id);
    sut.clock.advance(TTL_MS);
    await sut.waitFor(b.id, 'connection.request.missed');
    await sut.waitFor(a.id, 'connection.request.missed');
    await sut.settle(500);
    expect(sut.deliveriesTo(b.id, 'connection.request.missed')).toHaveLength(1);
    expect(sut.deliveriesTo(a.id, 'connection.request.missed')).toHaveLength(1);
  });
});
