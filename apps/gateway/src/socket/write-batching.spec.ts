import { Writable } from 'node:stream';
import type WebSocket from 'ws';
import { batchWritesThisTick } from './write-batching';

/** Stands in for the net.Socket under a WebSocket: records what each write syscall would carry. */
class RecordingTransport extends Writable {
  readonly syscalls: string[][] = [];

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.syscalls.push([String(chunk)]);
    callback();
  }

  override _writev(chunks: Array<{ chunk: Buffer }>, callback: () => void): void {
    this.syscalls.push(chunks.map(({ chunk }) => String(chunk)));
    callback();
  }
}

const nextTick = (): Promise<void> => new Promise((resolve) => process.nextTick(resolve));

describe(batchWritesThisTick.name, () => {
  let transport: RecordingTransport;
  let ws: WebSocket;

  beforeEach(() => {
    transport = new RecordingTransport();
    ws = { _socket: transport } as unknown as WebSocket;
  });

  /** What SocketRegistry.send does for each frame. */
  function send(frame: string): void {
    batchWritesThisTick(ws);
    transport.write(frame);
  }

  it('sends the frames of one tick in one write, in order', async () => {
    send('ack');
    send('delivery');
    expect(transport.syscalls).toEqual([]);

    await nextTick();

    expect(transport.syscalls).toEqual([['ack', 'delivery']]);
    expect(transport.writableCorked).toBe(0);
  });

  it('includes frames written by promise jobs of the same turn, as NATS reads are parsed in them', async () => {
    send('delivery');
    void Promise.resolve().then(() => send('reply'));

    await new Promise((resolve) => setImmediate(resolve));

    expect(transport.syscalls).toEqual([['delivery', 'reply']]);
  });

  it('batches again in a later tick', async () => {
    send('first');
    await nextTick();
    send('second');
    send('third');
    await nextTick();

    expect(transport.syscalls).toEqual([['first'], ['second', 'third']]);
  });

  it('leaves nothing corked when the socket is destroyed before the tick ends', async () => {
    send('last words');
    transport.destroy();

    await nextTick();

    expect(transport.writableCorked).toBe(0);
  });

  it('does nothing for a WebSocket without a transport', () => {
    expect(() => batchWritesThisTick({ _socket: null } as unknown as WebSocket)).not.toThrow();
  });
});
