import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import {
  connect,
  ErrorCode as NatsErrorCode,
  type JetStreamClient,
  type JetStreamManager,
  type Msg,
  type NatsConnection,
  NatsError,
} from 'nats';
import { ErrorCode, Subjects, type RpcReply, type ServiceName } from '@gisbi/contracts';
import { DomainError } from '../errors/domain-error';
import { traceHeaders } from '../tracing/tracing';
import { decodeJson, encodeJson } from './codec';
import { NATS_OPTIONS, type NatsModuleOptions } from './nats.tokens';

/**
 * One NATS connection per process, shared by the command server, RPC clients, delivery and JetStream.
 * Requests map NATS failures to domain errors: nobody listening is `service_unavailable`, no answer in
 * time is `timeout`, so callers never hang or see transport internals.
 *
 * Outbound messages (publishes, replies, requests) are handed to the connection together once per turn of
 * the event loop (`setImmediate`, after every I/O callback of the turn has run), so replies and deliveries
 * of many handlers leave in one socket write instead of one each — on a busy node socket writes and the
 * wake-ups they cause are a large share of the cost of a message. Order of messages is kept.
 */
@Injectable()
export class NatsClient implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(NatsClient.name);
  private nc?: NatsConnection;
  private outbound: Array<() => void> = [];
  private flushScheduled = false;

  constructor(@Inject(NATS_OPTIONS) readonly options: NatsModuleOptions) {}

  get prefix(): string {
    return this.options.subjectPrefix;
  }

  get service(): ServiceName {
    return this.options.service;
  }

  get connection(): NatsConnection {
    if (!this.nc) throw new Error('NATS is not connected yet');
    return this.nc;
  }

  get isConnected(): boolean {
    return this.nc !== undefined && !this.nc.isClosed();
  }

  async onModuleInit(): Promise<void> {
    this.nc = await connect({
      servers: this.options.url.split(','),
      name: `${this.options.service}:${this.options.instanceId}`,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      // nats.js otherwise captures a stack trace (new Error) for every request, a hot-path cost; our
      // timeouts are already turned into DomainErrors that name the subject.
      noAsyncTraces: true,
    });
    this.logger.log(`connected to NATS ${this.options.url} (prefix ${this.prefix})`);
  }

  async onApplicationShutdown(): Promise<void> {
    this.flushOutbound();
    if (this.nc && !this.nc.isClosed()) {
      // drain: finish in-flight handlers and flush pending publishes before closing
      await this.nc.drain().catch((error: unknown) => this.logger.warn(`NATS drain failed: ${String(error)}`));
    }
  }

  jetstream(): JetStreamClient {
    return this.connection.jetstream();
  }

  async jetstreamManager(): Promise<JetStreamManager> {
    return this.connection.jetstreamManager();
  }

  publish(subject: string, body: unknown): void {
    this.publishBytes(subject, encodeJson(body));
  }

  /** Publishes an already encoded message (see codec). */
  publishBytes(subject: string, data: Uint8Array): void {
    const connection = this.connection;
    const headers = traceHeaders();
    this.enqueue(() => connection.publish(subject, data, { headers }));
  }

  /** Answers a request (see the class comment for when it is written). */
  respond(msg: Msg, data: Uint8Array): void {
    this.enqueue(() => msg.respond(data));
  }

  /** Request/reply with a JSON answer; throws DomainError for no responders and timeouts. */
  async request<T>(subject: string, body: unknown, timeoutMs = this.options.requestTimeoutMs): Promise<T> {
    const data = await this.requestBytes(subject, body, timeoutMs);
    try {
      return decodeJson<T>(data);
    } catch (error) {
      throw toTransportError(error, subject);
    }
  }

  /** Request/reply, the answer left encoded (command replies are relayed, not parsed; see codec). */
  async requestBytes(
    subject: string,
    body: unknown,
    timeoutMs = this.options.requestTimeoutMs,
  ): Promise<Uint8Array> {
    try {
      const headers = traceHeaders();
      // Lets an overloaded responder skip work whose requester has already given up.
      headers.set(DEADLINE_HEADER, String(Date.now() + timeoutMs));
      const connection = this.connection;
      const data = encodeJson(body);
      const reply = await new Promise<Msg>((resolve, reject) =>
        this.enqueue(() => {
          connection.request(subject, data, { timeout: timeoutMs, headers }).then(resolve, reject);
        }, reject),
      );
      return reply.data;
    } catch (error) {
      throw toTransportError(error, subject);
    }
  }

  private enqueue(send: () => void, onError?: (error: unknown) => void): void {
    this.outbound.push(() => {
      try {
        send();
      } catch (error) {
        if (onError) onError(error);
        else this.logger.warn(`NATS publish failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flushOutbound());
    }
  }

  /** Hands every queued message to the connection in one synchronous run: nats.js writes them together. */
  private flushOutbound(): void {
    this.flushScheduled = false;
    const batch = this.outbound;
    this.outbound = [];
    for (const send of batch) send();
  }

  /** Calls another service's internal method; unwraps `{ ok, result }` and rethrows its domain error. */
  async rpc<TResult, TRequest = unknown>(
    service: ServiceName,
    method: string,
    body: TRequest,
    timeoutMs?: number,
  ): Promise<TResult> {
    const reply = await this.request<RpcReply<TResult>>(Subjects.rpc(this.prefix, service, method), body, timeoutMs);
    if (reply.ok) return reply.result;
    throw DomainError.fromBody({ ...reply.error, status: (reply.error.status ?? 400) as DomainError['status'] });
  }
}

/** Epoch milliseconds after which the requester no longer waits for the reply. */
export const DEADLINE_HEADER = 'Gisbi-Deadline';

function toTransportError(error: unknown, subject: string): Error {
  if (error instanceof NatsError) {
    if (error.code === NatsErrorCode.NoResponders) {
      return new DomainError(ErrorCode.service_unavailable, 'The service is not available right now', 503);
    }
    if (error.code === NatsErrorCode.Timeout) {
      return new DomainError(ErrorCode.timeout, 'The service did not answer in time', 504);
    }
  }
  return new Error(`NATS request on ${subject} failed: ${error instanceof Error ? error.message : String(error)}`);
}
