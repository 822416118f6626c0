import type WebSocket from 'ws';

/** What batching needs of the TCP socket under a WebSocket. */
interface Corkable {
  cork(): void;
  uncork(): void;
}

const corked = new WeakSet<WebSocket>();

/**
 * Lets every frame written to `ws` from now until the end of this tick leave in one writev. ws writes each
 * frame on its own (it corks only around one frame's header and body), and on our VMs every write syscall
 * costs ~100 µs: a reply with two events, or an ACK and a delivery parsed from the same NATS read, would
 * pay it per frame. The uncork runs on process.nextTick, i.e. after the current callback and the promise
 * jobs it queued — the NATS client parses each read in promise jobs, so everything in one read is included.
 * Frames keep their order (one stream), and the uncork always runs, so a socket that closes meanwhile is
 * never left corked.
 */
export function batchWritesThisTick(ws: WebSocket): void {
  if (corked.has(ws)) return;
  const transport = transportOf(ws);
  if (!transport) return;
  transport.cork();
  corked.add(ws);
  process.nextTick(() => {
    corked.delete(ws);
    transport.uncork();
  });
}

/** ws 8 has no public accessor for the net.Socket; `_socket` holds it while the WebSocket is attached. */
function transportOf(ws: WebSocket): Corkable | undefined {
  const transport = (ws as WebSocket & { _socket?: Partial<Corkable> | null })._socket;
  if (typeof transport?.cork !== 'function' || typeof transport.uncork !== 'function') return undefined;
  return transport as Corkable;
}
