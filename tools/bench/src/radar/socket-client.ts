import WebSocket from 'ws';

interface Pending {
  resolve: (nanos: bigint) => void;
  reject: (error: Error) => void;
  /** hrtime at which the request counts as sent (the intended time in open loop). */
  since: bigint;
}

/**
 * One WebSocket of a simulated user. A request completes when a frame of `completesOn` type carrying
 * its requestId arrives; error frames fail it. Unsolicited frames of `pushType` are counted as pushes.
 */
export class BenchSocket {
  private readonly pending = new Map<string, Pending>();
  pushes = 0;
  errors = 0;

  private constructor(
    readonly ws: WebSocket,
    private readonly completesOn: string,
    private readonly pushType: string,
  ) {
    ws.on('message', (data: WebSocket.RawData) => this.onFrame(data.toString()));
    ws.on('close', () => {
      for (const [id, pending] of this.pending) {
        this.pending.delete(id);
        pending.reject(new Error('socket closed'));
      }
    });
  }

  static open(url: string, options: { token?: string; completesOn: string; pushType: string }): Promise<BenchSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, {
        headers: options.token ? { Authorization: `Bearer ${options.token}` } : {},
        perMessageDeflate: false,
      });
      const socket = new BenchSocket(ws, options.completesOn, options.pushType);
      ws.once('open', () => resolve(socket));
      ws.once('unexpected-response', (_request, response) => reject(new Error(`handshake refused: HTTP ${response.statusCode}`)));
      ws.once('error', reject);
    });
  }

  get inFlight(): number {
    return this.pending.size;
  }

  /** Sends a frame and resolves with the nanoseconds from `since` to its completion (or fails after `timeoutMs`). */
  request(frame: string, requestId: string, since: bigint = process.hrtime.bigint(), timeoutMs = 10_000): Promise<bigint> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.pending.delete(requestId)) reject(new Error('timeout'));
      }, timeoutMs);
      this.pending.set(requestId, {
        resolve: (nanos) => {
          clearTimeout(timer);
          resolve(nanos);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
        since,
      });
      this.ws.send(frame);
    });
  }

  close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }

  private onFrame(text: string): void {
    const { type, requestId, errorCode } = readEnvelopeHead(text);
    if (requestId === undefined) {
      if (type === this.pushType) this.pushes++;
      return;
    }
    const pending = this.pending.get(requestId);
    if (!pending) return;
    if (type === 'error') {
      this.pending.delete(requestId);
      this.errors++;
      pending.reject(new Error(errorCode ?? 'error'));
    } else if (type === this.completesOn) {
      this.pending.delete(requestId);
      pending.resolve(process.hrtime.bigint() - pending.since);
    }
  }
}

const TYPE_HEAD = /^\{"type":"([^"]+)"/;
const REQUEST_ID_TAIL = /"requestId":"([^"]+)"(?:,"correlationId":"[^"]*")?\}$/;

/**
 * The envelope's type and requestId without parsing a radar's 20 KB payload: the server writes `type`
 * first and the ids last (makeServerEnvelope). Anything else falls back to JSON.parse, so the benchmark
 * client spends its CPU on the loop, not on decoding answers a real app would render.
 */
export function readEnvelopeHead(text: string): { type?: string; requestId?: string; errorCode?: string } {
  const type = TYPE_HEAD.exec(text)?.[1];
  if (type !== undefined && type !== 'error') {
    return { type, requestId: REQUEST_ID_TAIL.exec(text.slice(-200))?.[1] };
  }
  try {
    const envelope = JSON.parse(text) as { type?: string; requestId?: string; payload?: { code?: string } };
    return { type: envelope.type, requestId: envelope.requestId, errorCode: envelope.payload?.code };
  } catch {
    return {};
  }
}
