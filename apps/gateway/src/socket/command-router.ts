import { Inject, Injectable, Logger } from '@nestjs/common';
import type WebSocket from 'ws';
import {
  ClientEvent,
  ClientEventSchemas,
  domainOfEvent,
  ErrorCode,
  isClientEventType,
  makeServerEnvelope,
  parseClientEnvelope,
  ServerEvent,
  Subjects,
  validateInput,
  type ClientEventType,
  type CommandRequest,
  type ErrorPayload,
  type SessionStartPayload,
} from '@gisbi/contracts';
import { context } from '@opentelemetry/api';
import {
  Clock,
  DomainError,
  Metrics,
  NatsClient,
  readCommandReply,
  SpanKind,
  withSpan,
} from '@gisbi/platform';
import { GATEWAY_ENV, type GatewayEnv } from '../config/gateway-config';
import { BootstrapComposer } from './bootstrap-composer';
import type { ClientSocket } from './client-socket';
import { frameBytes, peekEnvelopeIds, pickIds, type ReplyIds } from './envelope-ids';
import { SocketRegistry } from './socket-registry';

/**
 * Turns one socket frame into exactly one outcome: the owning service's reply events, or an `error`
 * event with the contract's code — never silence and never a closed socket. The gateway validates the
 * envelope; each payload is validated once, by the service that owns it (which never trusts the edge)
 * and owns every domain rule.
 */
@Injectable()
export class CommandRouter {
  private readonly logger = new Logger(CommandRouter.name);

  constructor(
    private readonly nats: NatsClient,
    private readonly registry: SocketRegistry,
    private readonly bootstrap: BootstrapComposer,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
    @Inject(GATEWAY_ENV) private readonly env: GatewayEnv,
  ) {}

  async handleFrame(socket: ClientSocket, data: WebSocket.RawData, isBinary: boolean): Promise<void> {
    if (!this.takeToken(socket)) {
      // Refused before the frame is parsed (the work the limit saves), yet with the ids it carries.
      return this.sendError(
        socket,
        { code: ErrorCode.rate_limited, message: 'Too many messages; slow down', domain: 'gateway' },
        isBinary ? {} : peekEnvelopeIds(frameBytes(data)),
      );
    }
    let raw: unknown;
    try {
      if (isBinary) throw new Error('binary');
      raw = JSON.parse(data.toString());
    } catch {
      return this.sendError(
        socket,
        { code: ErrorCode.invalid_json, message: 'Frames must be JSON text', domain: 'gateway' },
        {},
      );
    }
    const ids = pickIds(raw);
    const parsed = parseClientEnvelope(raw);
    if (!parsed.ok) {
      return this.sendError(socket, { code: parsed.code, message: parsed.message, domain: 'gateway' }, ids);
    }
    const { type, payload } = parsed.envelope;
    if (!isClientEventType(type)) {
      return this.sendError(
        socket,
        { code: ErrorCode.unknown_type, message: `Unknown message type "${type}"`, domain: 'gateway' },
        ids,
      );
    }
    this.metrics.messagesIn.inc({ type });
    // A payload is validated once, against the same contract DTO and with the same error codes, by whoever
    // handles it: the gateway for session.start, the owning service's transport for everything else —
    // unless it holds ±Infinity (a JSON literal such as 1e400), which the JSON sent to the service would
    // turn into null ("lat is required", or an optional field silently dropped): the gateway answers then.
    let sessionStart: SessionStartPayload | undefined;
    if (type === ClientEvent.SessionStart || parsed.payloadHasNonFiniteNumber) {
      const validated = validateInput(ClientEventSchemas[type], payload);
      if (!validated.ok) {
        return this.sendError(
          socket,
          { code: validated.code, message: validated.message, domain: domainOfEvent(type) },
          ids,
        );
      }
      if (type === ClientEvent.SessionStart) sessionStart = validated.value as SessionStartPayload;
    }
    // Each frame starts a trace; its id travels through NATS headers to every service it reaches.
    const attributes = {
      'gisbi.type': type,
      'enduser.id': socket.gisbi.claims.userId,
      'gisbi.request_id': ids.requestId,
    };
    await withSpan(
      `ws ${type}`,
      context.active(),
      attributes,
      async () => {
        try {
          if (sessionStart) {
            await this.startSession(socket, sessionStart, ids);
          } else {
            await this.forward(socket, type, payload, ids);
          }
        } catch (error) {
          this.sendError(socket, this.toErrorPayload(error, type), ids);
        }
      },
      SpanKind.SERVER,
    );
  }

  private async forward(
    socket: ClientSocket,
    type: ClientEventType,
    payload: unknown,
    ids: ReplyIds,
  ): Promise<void> {
    const request: CommandRequest = {
      type,
      payload,
      userId: socket.gisbi.claims.userId,
      socketId: socket.gisbi.socketId,
      ...ids,
    };
    const started = process.hrtime.bigint();
    const data = await this.nats.requestBytes(Subjects.command(this.nats.prefix, type), request);
    this.metrics.natsRequestSeconds.observe(
      { subject: type },
      Number(process.hrtime.bigint() - started) / 1e9,
    );
    const reply = readCommandReply(data);
    if (!reply.ok) {
      return this.sendError(
        socket,
        { code: reply.error.code, message: reply.error.message, domain: reply.error.domain },
        ids,
      );
    }
    // The service already wrote the envelopes (timestamp, echoed ids): relay their bytes.
    for (const frame of reply.frames) this.registry.send(socket, frame.bytes, frame.type);
  }

  /** `session.connected`, then the composed bootstrap, then replay of missed incoming messages. */
  private async startSession(
    socket: ClientSocket,
    payload: SessionStartPayload,
    ids: ReplyIds,
  ): Promise<void> {
    this.registry.hold(socket);
    try {
      this.sendEvent(socket, ServerEvent.SessionConnected, {}, ids);
      const { bootstrap, replay, missing } = await this.bootstrap.compose(
        socket.gisbi.claims.userId,
        payload.lastSeenAt,
      );
      this.sendEvent(socket, ServerEvent.SessionBootstrap, bootstrap, ids);
      for (const service of missing) {
        const message = `Part of the bootstrap owned by ${service} is unavailable; retry session.start`;
        this.sendError(socket, { code: ErrorCode.service_unavailable, message, domain: service }, ids);
      }
      // The replay is part of session.start's response, so it echoes the ids too (contract: Envelope).
      for (const message of replay) this.sendEvent(socket, ServerEvent.ChatMessageCreated, message, ids);
    } finally {
      // Events pushed while the bootstrap was being composed follow it, never precede it.
      this.registry.release(socket);
    }
  }

  sendEvent(socket: ClientSocket, type: string, payload: unknown, ids: ReplyIds): void {
    this.registry.send(
      socket,
      JSON.stringify(makeServerEnvelope(type, payload, this.clock.now(), ids)),
      type,
    );
  }

  sendError(socket: ClientSocket, error: Omit<ErrorPayload, 'requestId'>, ids: ReplyIds): void {
    this.metrics.errors.inc({ code: error.code });
    const payload: ErrorPayload = { ...error, ...(ids.requestId ? { requestId: ids.requestId } : {}) };
    this.sendEvent(socket, ServerEvent.Error, payload, ids);
  }

  private toErrorPayload(error: unknown, type: string): Omit<ErrorPayload, 'requestId'> {
    if (error instanceof DomainError)
      return { code: error.code, message: error.message, domain: error.domain ?? domainOfEvent(type) };
    this.logger.error(
      `command ${type} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return {
      code: ErrorCode.internal_error,
      message: 'Something went wrong on our side',
      domain: domainOfEvent(type),
    };
  }

  /** Token bucket: WS_COMMANDS_PER_SECOND sustained, twice that as a burst. */
  private takeToken(socket: ClientSocket): boolean {
    const now = Date.now();
    const rate = this.env.WS_COMMANDS_PER_SECOND;
    const state = socket.gisbi;
    state.tokens = Math.min(rate * 2, state.tokens + ((now - state.refilledAt) / 1000) * rate);
    state.refilledAt = now;
    if (state.tokens < 1) return false;
    state.tokens -= 1;
    return true;
  }
}
