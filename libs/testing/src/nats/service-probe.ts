import type { NatsConnection, Subscription } from 'nats';
import {
  IdPrefix,
  Subjects,
  type ClientEventType,
  type CommandReply,
  type DeliveryMessage,
  type DomainEventEnvelope,
  type DomainEventMap,
  type DomainEventName,
  type ReplyError,
  type RpcReply,
  type ServiceName,
} from '@gisbi/contracts';
import { decodeCommandReply, decodeDelivery, decodeJson, encodeJson, newId } from '@gisbi/platform';

/**
 * Talks to a service under test over NATS exactly as the gateway and the other services do: socket
 * commands, RPCs, domain events on JetStream, responders standing in for the services it asks, and a
 * recorder of deliveries to users. One per integration-test harness.
 */
export class ServiceProbe {
  constructor(
    readonly nc: NatsConnection,
    readonly prefix: string,
    readonly service: ServiceName,
    private readonly timeoutMs = 10_000,
  ) {}

  /** A socket command as the gateway forwards it; the reply with its frames parsed (decodeCommandReply). */
  async command(
    type: ClientEventType,
    payload: unknown,
    userId: string,
    socketId: string,
    ids: { requestId?: string; correlationId?: string } = {},
  ): Promise<CommandReply> {
    const reply = await this.nc.request(
      Subjects.command(this.prefix, type),
      encodeJson({ type, payload, userId, socketId, ...ids }),
      { timeout: this.timeoutMs },
    );
    return decodeCommandReply(reply.data);
  }

  /** An RPC of the service under test (or of `service`). */
  async rpc<T>(method: string, body: unknown, service: ServiceName = this.service): Promise<RpcReply<T>> {
    const reply = await this.nc.request(Subjects.rpc(this.prefix, service, method), encodeJson(body), { timeout: this.timeoutMs });
    return decodeJson<RpcReply<T>>(reply.data);
  }

  /** The result of an RPC that must succeed. */
  async rpcOk<T>(method: string, body: unknown): Promise<T> {
    const reply = await this.rpc<T>(method, body);
    if (!reply.ok) throw new Error(`${method} failed: ${JSON.stringify(reply.error)}`);
    return reply.result;
  }

  /** The error of an RPC that must fail. */
  async rpcError(method: string, body: unknown): Promise<ReplyError> {
    const reply = await this.rpc<unknown>(method, body);
    if (reply.ok) throw new Error(`${method} unexpectedly succeeded: ${JSON.stringify(reply.result)}`);
    return reply.error;
  }

  /**
   * Answers another service's RPC with contract-shaped data. `handle` returning `undefined` leaves the
   * request unanswered (the caller then sees a timeout), which tests use to simulate a slow service.
   */
  respond<Req, Res>(service: ServiceName, method: string, handle: (body: Req) => RpcReply<Res> | Res | undefined, asReply = false): Subscription {
    return this.nc.subscribe(Subjects.rpc(this.prefix, service, method), {
      callback: (_error, msg) => {
        const answer = handle(decodeJson<Req>(msg.data));
        if (answer === undefined) return;
        msg.respond(encodeJson(asReply ? answer : { ok: true, result: answer }));
      },
    });
  }

  /** Publishes a domain event on JetStream as a producing service's outbox would. */
  async publishEvent<N extends DomainEventName>(
    name: N,
    payload: DomainEventMap[N],
    options: { id?: string; occurredAt?: string; msgId?: string } = {},
  ): Promise<DomainEventEnvelope<N>> {
    const envelope: DomainEventEnvelope<N> = {
      id: options.id ?? newId(IdPrefix.event),
      name,
      occurredAt: options.occurredAt ?? new Date().toISOString(),
      payload,
    };
    await this.nc.jetstream().publish(Subjects.event(this.prefix, name), JSON.stringify(envelope), {
      msgID: options.msgId ?? envelope.id,
    });
    return envelope;
  }

  /** Every domain event of `name` stored in this environment's stream, oldest first. */
  async streamedEvents<N extends DomainEventName>(name: N): Promise<Array<DomainEventEnvelope<N>>> {
    const jsm = await this.nc.jetstreamManager();
    const stream = Subjects.streamName(this.prefix);
    const subject = Subjects.event(this.prefix, name);
    const { state } = await jsm.streams.info(stream);
    const events: Array<DomainEventEnvelope<N>> = [];
    for (let seq = state.first_seq; state.messages > 0 && seq <= state.last_seq; seq++) {
      const stored = await jsm.streams.getMessage(stream, { seq }).catch(() => undefined);
      if (stored?.subject === subject) events.push(JSON.parse(new TextDecoder().decode(stored.data)) as DomainEventEnvelope<N>);
    }
    return events;
  }

  /** Calls `sink` with every delivery addressed to `userId`, its frame parsed (see decodeDelivery). */
  recordDeliveries(userId: string, sink: (delivery: DeliveryMessage) => void): Subscription {
    return this.nc.subscribe(Subjects.deliverUser(this.prefix, userId), {
      callback: (_error, msg) => sink(decodeDelivery(msg.data)),
    });
  }
}
