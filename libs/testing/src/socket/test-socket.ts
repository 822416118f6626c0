import WebSocket from 'ws';

export interface ReceivedEnvelope<P = Record<string, unknown>> {
  type: string;
  payload: P;
  timestamp: string;
  requestId?: string;
  correlationId?: string;
}

/**
 * A real WebSocket client for end-to-end tests: buffers every frame, so a test can wait for the next
 * event of a type (optionally matching a predicate) or assert that none arrives.
 */
export class TestSocket {
  readonly received: ReceivedEnvelope[] = [];
  private readonly waiters: Array<{ match: (e: ReceivedEnvelope) => boolean; resolve: (e: ReceivedEnvelope) => void }> = [];
  closeCode?: number;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: WebSocket.RawData) => {
      const envelope = JSON.parse(data.toString()) as ReceivedEnvelope;
      this.received.push(envelope);
      const index = this.waiters.findIndex((waiter) => waiter.match(envelope));
      const waiter = index >= 0 ? this.waiters.splice(index, 1)[0] : undefined;
      waiter?.resolve(envelope);
    });
    ws.on('close', (code) => {
      this.closeCode = code;
    });
  }

  static connect(url: string, token?: string, headers: Record<string, string> = {}): Promise<TestSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers } });
      const socket = new TestSocket(ws);
      ws.once('open', () => resolve(socket));
      ws.once('unexpected-response', (_request, response) => reject(new HandshakeRefused(response.statusCode ?? 0)));
      ws.once('error', reject);
    });
  }

  send(type: string, payload: unknown = {}, ids: { requestId?: string; correlationId?: string } = {}): void {
    this.ws.send(JSON.stringify({ type, payload, ...ids }));
  }

  sendRaw(data: string): void {
    this.ws.send(data);
  }

  /** Waits for the next not-yet-consumed event of `type` (and matching `where`), in arrival order. */
  async next<P = Record<string, unknown>>(
    type: string,
    where: (payload: P, envelope: ReceivedEnvelope<P>) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<ReceivedEnvelope<P>> {
    const match = (e: ReceivedEnvelope) => e.type === type && where(e.payload as P, e as ReceivedEnvelope<P>);
    const buffered = this.received.find((envelope) => match(envelope) && !this.consumed.has(envelope));
    if (buffered) {
      this.consumed.add(buffered);
      return buffered as ReceivedEnvelope<P>;
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(new Error(`No "${type}" event within ${timeoutMs} ms; received: ${this.describeReceived()}`));
      }, timeoutMs);
      const waiter = {
        match: (e: ReceivedEnvelope) => match(e) && !this.consumed.has(e),
        resolve: (e: ReceivedEnvelope) => {
          clearTimeout(timer);
          this.consumed.add(e);
          resolve(e as ReceivedEnvelope<P>);
        },
      };
      this.waiters.push(waiter);
    });
  }

  /** Sends a command and waits for the reply event carrying the same requestId (or an error). */
  async request<P = Record<string, unknown>>(type: string, payload: unknown = {}, timeoutMs = 5000): Promise<ReceivedEnvelope<P>> {
    const requestId = `req_${Math.random().toString(36).slice(2, 10)}`;
    const reply = this.nextWithRequestId<P>(requestId, timeoutMs);
    this.send(type, payload, { requestId });
    return reply;
  }

  async nextWithRequestId<P>(requestId: string, timeoutMs = 5000): Promise<ReceivedEnvelope<P>> {
    const found = this.received.find((e) => e.requestId === requestId && !this.consumed.has(e));
    if (found) {
      this.consumed.add(found);
      return found as ReceivedEnvelope<P>;
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`No reply to ${requestId} within ${timeoutMs} ms; received: ${this.describeReceived()}`)),
        timeoutMs,
      );
      this.waiters.push({
        match: (e) => e.requestId === requestId && !this.consumed.has(e),
        resolve: (e) => {
          clearTimeout(timer);
          this.consumed.add(e);
          resolve(e as ReceivedEnvelope<P>);
        },
      });
    });
  }

  /** What arrived so far, errors with their code and domain: a failed wait says what happened instead. */
  private describeReceived(): string {
    return this.received
      .map((e) => {
        if (e.type !== 'error') return e.type;
        const { code, domain } = e.payload as { code?: unknown; domain?: unknown };
        return `error(${String(code)} from ${String(domain)})`;
      })
      .join(', ');
  }

  /** Asserts that no event of `type` arrives within `ms`. */
  async expectNone(type: string, ms = 300, where: (payload: Record<string, unknown>) => boolean = () => true): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    const unexpected = this.received.filter((e) => e.type === type && !this.consumed.has(e) && where(e.payload));
    if (unexpected.length > 0) throw new Error(`Unexpected "${type}": ${JSON.stringify(unexpected[0])}`);
  }

  countOf(type: string): number {
    return this.received.filter((e) => e.type === type).length;
  }

  close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }

  private readonly consumed = new Set<ReceivedEnvelope>();
}

export class HandshakeRefused extends Error {
  constructor(readonly statusCode: number) {
    super(`WebSocket handshake refused with HTTP ${statusCode}`);
  }
}
