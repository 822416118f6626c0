import { Logger } from '@nestjs/common';
import { type CustomTransportStrategy, Server } from '@nestjs/microservices';
import type { Msg, Subscription } from 'nats';
import { lastValueFrom, isObservable, defaultIfEmpty } from 'rxjs';
import {
  ClientEventSchemas,
  domainOfEvent,
  envelopePayloadProblem,
  ErrorCode,
  isClientEventType,
  Subjects,
  validateInput,
  type CommandRequest,
  type RpcReply,
} from '@gisbi/contracts';
import type { Clock } from '../clock/clock';
import { DomainError, type DomainErrorBody } from '../errors/domain-error';
import { withLogContext } from '../logging/logging.module';
import { decodeJson, encodeCommandError, encodeCommandReply, encodeJson } from './codec';
import type { Command, ServerMessage } from './command';
import { COMMAND_PATTERN_PREFIX, RPC_PATTERN_PREFIX } from './handler-decorators';
import type { Metrics } from '../metrics/metrics';
import { contextFromHeaders, currentTraceId, withSpan } from '../tracing/tracing';
import { DEADLINE_HEADER, type NatsClient } from './nats-client';

interface ErrorReplyBody {
  code: string;
  message: string;
  domain: string;
  status: number;
}

/**
 * NestJS microservice transport over our NATS conventions. Every `@OnCommand`/`@OnRpc` handler gets its
 * own subject with a queue group named after the service, so replicas share the load. Commands are
 * validated against the contract here, once, before any handler runs; every outcome — including an
 * unexpected exception — becomes a reply, so the gateway never waits for silence. A command's events
 * are serialised here as the socket frames the gateway relays (see codec), stamped with this clock.
 */
export class NatsCommandServer extends Server implements CustomTransportStrategy {
  protected override readonly logger = new Logger(NatsCommandServer.name);
  private subscriptions: Subscription[] = [];
  private inFlight = 0;

  constructor(
    private readonly nats: NatsClient,
    private readonly clock: Clock,
    private readonly metrics?: Metrics,
  ) {
    super();
  }

  listen(callback: (error?: unknown) => void): void {
    const { connection, prefix, service } = this.nats;
    for (const pattern of this.messageHandlers.keys()) {
      const subject = pattern.startsWith(COMMAND_PATTERN_PREFIX)
        ? `${prefix}.cmd.${pattern.slice(COMMAND_PATTERN_PREFIX.length)}`
        : pattern.startsWith(RPC_PATTERN_PREFIX)
          ? Subjects.rpc(prefix, service, pattern.slice(RPC_PATTERN_PREFIX.length))
          : undefined;
      if (!subject) throw new Error(`Unsupported message pattern "${pattern}" (use @OnCommand or @OnRpc)`);
      const subscription = connection.subscribe(subject, {
        queue: service,
        callback: (error, msg) => {
          if (error) {
            this.logger.error(`subscription ${subject} failed: ${error.message}`);
            return;
          }
          void this.dispatch(pattern, msg);
        },
      });
      this.subscriptions.push(subscription);
    }
    this.logger.log(`listening on ${this.subscriptions.length} subjects as queue group "${service}"`);
    // Started (and so ready, the HTTP port opening after this) only once the server holds the subscriptions:
    // a request arriving right after a readiness probe passed must find a responder, not "no responders".
    connection.flush().then(() => callback(), callback);
  }

  async close(): Promise<void> {
    // Stop taking new work; in-flight handlers finish and still reply.
    await Promise.all(this.subscriptions.map((subscription) => subscription.drain().catch(() => undefined)));
    this.subscriptions = [];
    const deadline = Date.now() + 10_000;
    while (this.inFlight > 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
  }

  on(): void {
    // NATS connection events are handled by NatsClient.
  }

  unwrap<T>(): T {
    return this.nats.connection as T;
  }

  private async dispatch(pattern: string, msg: Msg): Promise<void> {
    const deadline = Number(msg.headers?.get(DEADLINE_HEADER) || Number.POSITIVE_INFINITY);
    if (Date.now() > deadline) {
      // Under overload, work queued past its requester's timeout would only deepen the backlog.
      this.metrics?.errors.inc({ code: 'expired_before_handling' });
      return;
    }
    this.inFlight++;
    try {
      const reply = await withSpan<Uint8Array>(
        pattern,
        contextFromHeaders(msg.headers),
        { 'messaging.system': 'nats', 'messaging.destination': msg.subject },
        () =>
          pattern.startsWith(COMMAND_PATTERN_PREFIX)
            ? this.handleCommand(pattern, msg)
            : this.handleRpc(pattern, msg),
      );
      if (msg.reply) this.nats.respond(msg, reply);
    } finally {
      this.inFlight--;
    }
  }

  private async handleCommand(pattern: string, msg: Msg): Promise<Uint8Array> {
    const type = pattern.slice(COMMAND_PATTERN_PREFIX.length);
    const domain = domainOfEvent(type);
    let request: CommandRequest;
    try {
      request = decodeJson<CommandRequest>(msg.data);
    } catch {
      return encodeCommandError({
        code: ErrorCode.invalid_envelope,
        message: 'Malformed command',
        domain,
        status: 400,
      });
    }
    if (
      !isClientEventType(type) ||
      typeof request.userId !== 'string' ||
      typeof request.socketId !== 'string'
    ) {
      return encodeCommandError({
        code: ErrorCode.invalid_envelope,
        message: 'Malformed command',
        domain,
        status: 400,
      });
    }
    // The envelope's payload rule holds here too: a command's payload is never made up.
    const payloadProblem = envelopePayloadProblem(request.payload);
    if (payloadProblem) {
      return encodeCommandError({
        code: payloadProblem.code,
        message: payloadProblem.message,
        domain,
        status: 400,
      });
    }
    const validated = validateInput(ClientEventSchemas[type], request.payload);
    if (!validated.ok) {
      return encodeCommandError({ code: validated.code, message: validated.message, domain, status: 400 });
    }
    const command: Command = {
      type,
      payload: validated.value,
      userId: request.userId,
      socketId: request.socketId,
      requestId: request.requestId,
      correlationId: request.correlationId,
    };
    this.metrics?.messagesIn.inc({ type });
    // Every log line written while handling the command carries who, what and which request.
    const bindings = {
      type,
      userId: command.userId,
      requestId: command.requestId,
      correlationId: command.correlationId,
      traceId: currentTraceId(),
    };
    return withLogContext(bindings, async () => {
      try {
        const result = await this.invoke(pattern, command);
        const events =
          result === undefined || result === null ? [] : Array.isArray(result) ? result : [result];
        return encodeCommandReply(events as ServerMessage[], this.clock.now(), {
          requestId: command.requestId,
          correlationId: command.correlationId,
        });
      } catch (error) {
        const body = this.toErrorBody(error, domain);
        this.metrics?.errors.inc({ code: body.code });
        return encodeCommandError(body);
      }
    });
  }

  private async handleRpc(pattern: string, msg: Msg): Promise<Uint8Array> {
    const domain = this.nats.service;
    let reply: RpcReply<unknown>;
    try {
      const body = decodeJson<unknown>(msg.data);
      const result = await this.invoke(pattern, body);
      reply = { ok: true, result: result ?? null };
    } catch (error) {
      reply = { ok: false, error: this.toErrorBody(error, domain) };
    }
    return encodeJson(reply);
  }

  private async invoke(pattern: string, data: unknown): Promise<unknown> {
    const handler = this.messageHandlers.get(pattern);
    if (!handler) throw new DomainError(ErrorCode.unknown_type, `No handler for ${pattern}`, 400);
    const output: unknown = await handler(data);
    // Handlers behind interceptors answer with an Observable; plain async handlers need no rxjs round trip.
    return isObservable(output) ? lastValueFrom(output.pipe(defaultIfEmpty(undefined))) : output;
  }

  private toErrorBody(error: unknown, domain: string): ErrorReplyBody {
    // Nest's RPC exception filter has already turned a DomainError into its body; anything else is a bug
    // that must not leak internals to the client.
    const body: DomainErrorBody | undefined =
      error instanceof DomainError
        ? error.toBody()
        : DomainError.isBody(error) && 'code' in error
          ? error
          : undefined;
    if (body)
      return {
        code: body.code,
        message: body.message,
        domain: body.domain ?? domain,
        status: body.status ?? 400,
      };
    if (!(
      error instanceof Object &&
      'status' in error &&
      (error as { status: unknown }).status === 'error'
    )) {
      this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    }
    return {
      code: ErrorCode.internal_error,
      message: 'Something went wrong on our side',
      domain,
      status: 500,
    };
  }
}
