import { Controller, Injectable, Module, type DynamicModule } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { connect, headers as natsHeaders, type NatsConnection } from 'nats';
import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import {
  ClientEvent,
  DomainEvent,
  ErrorCode,
  Subjects,
  type CommandReply,
  type ConnectionRequestSendPayload,
  type RpcReply,
  type UserBlockedEvent,
} from '@gisbi/contracts';
import {
  coreEnvSchema,
  createEventTables,
  databaseEnvSchema,
  decodeCommandReply,
  decodeDelivery,
  decodeJson,
  Deliverer,
  DomainError,
  encodeJson,
  EventOutbox,
  jobsEnvSchema,
  loadConfig,
  message,
  OnCommand,
  OnDomainEvent,
  OnRpc,
  ServicePlatformModule,
  type Command,
  type DomainEventContext,
} from '@gisbi/platform';
import { FakeClock } from '../clock/fake-clock';
import { startTestApp, type TestApp } from '../infra/test-app';
import { createTestEnvironment, type TestEnvironment } from '../infra/test-environment';

class CreateEventTables1700000000000 implements MigrationInterface {
  name = 'CreateEventTables1700000000000';
  async up(queryRunner: QueryRunner): Promise<void> {
    await createEventTables(queryRunner);
  }
  async down(): Promise<void> {
    // test schema is dropped with its database
  }
}

@Controller()
class ProbeHandlers {
  constructor(private readonly deliverer: Deliverer) {}

  @OnCommand(ClientEvent.ConnectionRequestSend)
  send(command: Command<ConnectionRequestSendPayload>) {
    if (command.payload.userId === 'user_forbidden') throw DomainError.forbidden(ErrorCode.not_allowed, 'not yours');
    if (command.payload.userId === 'user_crash') throw new Error('database password is hunter2');
    return this.deliverer.toParticipants(command, [command.userId, command.payload.userId], message('connection.ring', {
      fromUserId: command.userId,
      recipientId: command.payload.userId,
      fromUser: { id: command.userId, name: 'A', age: null, avatar: null, gender: null, vibe: null, vibeExpiresAt: null },
    }));
  }

  @OnRpc('echo')
  echo(body: { value: number }) {
    return { doubled: body.value * 2 };
  }
}

@Injectable()
class BlockProjection {
  applied: string[] = [];
  constructor(@InjectDataSource() readonly dataSource: DataSource) {}

  @OnDomainEvent(DomainEvent.UserBlocked)
  async onBlocked(payload: UserBlockedEvent, context: DomainEventContext): Promise<void> {
    await context.manager.query('SELECT 1');
    context.afterCommit(() => {
      this.applied.push(`${payload.blockerId}>${payload.blockedId}`);
    });
  }
}

@Module({})
class ProbeModule {
  static forRoot(env: Record<string, string>): DynamicModule {
    const config = loadConfig(coreEnvSchema.extend(databaseEnvSchema.shape).extend(jobsEnvSchema.shape), env);
    return {
      module: ProbeModule,
      imports: [
        ServicePlatformModule.forRoot({
          service: 'connections',
          env: config,
          database: { schema: 'probe', entities: [], migrations: [CreateEventTables1700000000000] },
        }),
      ],
      controllers: [ProbeHandlers],
      providers: [BlockProjection],
    };
  }
}

// Lives beside the test helpers (which depend on the platform) to keep the platform free of test code.
describe('platform: NATS commands, RPC, delivery and domain events', () => {
  let environment: TestEnvironment;
  let sut: TestApp;
  let nc: NatsConnection;
  const clock = new FakeClock();

  beforeAll(async () => {
    environment = await createTestEnvironment('platform');
    sut = await startTestApp(ProbeModule.forRoot(environment.env), { clock });
    nc = await connect({ servers: environment.env['NATS_URL'] });
  });

  afterAll(async () => {
    await nc?.close();
    await sut?.close();
    await environment?.cleanup();
  });

  const command = async (payload: unknown): Promise<CommandReply> =>
    decodeCommandReply(
      (
        await nc.request(
          Subjects.command(environment.natsPrefix, ClientEvent.ConnectionRequestSend),
          encodeJson({ type: ClientEvent.ConnectionRequestSend, payload, userId: 'user_a', socketId: 's1', requestId: 'r1', correlationId: 'c1' }),
        )
      ).data,
    );

  it('validates payloads with the contract before the handler runs', async () => {
    expect(await command({})).toEqual({
      ok: false,
      error: { code: ErrorCode.missing_userId, message: expect.stringContaining('userId'), domain: 'connections', status: 400 },
    });
  });

  it('holds a command to the envelope rule for its payload, and refuses prototype keys', async () => {
    const required = { ok: false, error: { code: ErrorCode.invalid_envelope, message: 'payload is required', domain: 'connections', status: 400 } };
    expect(await command(undefined)).toEqual(required);
    expect(await command(null)).toEqual(required);
    expect(await command([{ userId: 'user_b' }])).toEqual({
      ok: false,
      error: { code: ErrorCode.invalid_payload, message: 'payload must be a JSON object', domain: 'connections', status: 400 },
    });
    expect(await command(JSON.parse('{"userId":"user_b","__proto__":{"isAdmin":true}}'))).toEqual({
      ok: false,
      error: { code: ErrorCode.invalid_payload, message: '__proto__ is not an accepted field', domain: 'connections', status: 400 },
    });
  });

  it('replies to the originating socket and delivers to everyone else exactly once', async () => {
    const forA = nc.subscribe(Subjects.deliverUser(environment.natsPrefix, 'user_a'), { max: 1 });
    const forB = nc.subscribe(Subjects.deliverUser(environment.natsPrefix, 'user_b'), { max: 1 });
    const reply = await command({ userId: 'user_b' });
    expect(reply).toMatchObject({ ok: true, events: [{ type: 'connection.ring', payload: { recipientId: 'user_b' } }] });
    for await (const msg of forA) expect(decodeDelivery(msg.data)).toMatchObject({ type: 'connection.ring', exceptSocketId: 's1' });
    for await (const msg of forB) expect(decodeDelivery(msg.data)).not.toHaveProperty('exceptSocketId');
  });

  it('writes the socket envelopes itself: stamped by the service clock, ids echoed in the reply only', async () => {
    const forB = nc.subscribe(Subjects.deliverUser(environment.natsPrefix, 'user_b'), { max: 1 });
    const reply = await command({ userId: 'user_b' });
    const timestamp = clock.nowIso();
    expect(reply).toEqual({
      ok: true,
      events: [{ type: 'connection.ring', payload: expect.any(Object), timestamp, requestId: 'r1', correlationId: 'c1' }],
    });
    for await (const msg of forB) {
      expect(decodeDelivery(msg.data)).toEqual({ type: 'connection.ring', payload: expect.any(Object), timestamp });
    }
  });

  it('carries the trace id of a command to the deliveries it causes', async () => {
    const traceId = 'f'.repeat(31) + '1';
    const forB = nc.subscribe(Subjects.deliverUser(environment.natsPrefix, 'user_b'), { max: 1 });
    const h = natsHeaders();
    h.set('traceparent', `00-${traceId}-${'a'.repeat(16)}-01`);
    await nc.request(
      Subjects.command(environment.natsPrefix, ClientEvent.ConnectionRequestSend),
      encodeJson({ type: ClientEvent.ConnectionRequestSend, payload: { userId: 'user_b' }, userId: 'user_a', socketId: 's1' }),
      { headers: h, timeout: 5000 },
    );
    for await (const msg of forB) expect(msg.headers?.get('traceparent')).toContain(traceId);
  });

  it('turns domain errors into their code and unexpected failures into internal_error without details', async () => {
    expect(await command({ userId: 'user_forbidden' })).toMatchObject({ ok: false, error: { code: ErrorCode.not_allowed, status: 403 } });
    const crash = await command({ userId: 'user_crash' });
    expect(crash).toMatchObject({ ok: false, error: { code: ErrorCode.internal_error, status: 500 } });
    expect(JSON.stringify(crash)).not.toContain('hunter2');
  });

  it('answers RPCs on the service subject', async () => {
    const reply = decodeJson<RpcReply<{ doubled: number }>>(
      (await nc.request(Subjects.rpc(environment.natsPrefix, 'connections', 'echo'), encodeJson({ value: 21 }))).data,
    );
    expect(reply).toEqual({ ok: true, result: { doubled: 42 } });
  });

  it('publishes outbox events to JetStream and applies each event once even when redelivered', async () => {
    const outbox = sut.get(EventOutbox);
    const projection = sut.get(BlockProjection);
    const dataSource = projection.dataSource;
    const envelope = await dataSource.transaction((manager) =>
      outbox.add(manager, DomainEvent.UserBlocked, { blockerId: 'user_a', blockedId: 'user_b', at: clock.nowIso() }),
    );
    await outbox.flush();
    await waitFor(() => projection.applied.length === 1);
    // A redelivery (same event id published again outside the dedup window's protection) changes nothing.
    const js = nc.jetstream();
    await js.publish(Subjects.event(environment.natsPrefix, DomainEvent.UserBlocked), JSON.stringify(envelope), { msgID: `${envelope.id}-again` });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(projection.applied).toEqual(['user_a>user_b']);
    const [{ count }] = await dataSource.query('SELECT count(*)::int AS count FROM processed_events');
    expect(count).toBe(1);
    const [{ pending }] = await dataSource.query('SELECT count(*)::int AS pending FROM outbox_events WHERE published_at IS NULL');
    expect(pending).toBe(0);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
