import { fork, type ChildProcess } from 'node:child_process';
import { WebSocketServer } from 'ws';

/** Child-process mode: a bare `ws` server on loopback that sends every text frame straight back. */
export function runEchoServer(): void {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  server.on('connection', (socket) => {
    socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
  });
  server.on('listening', () => {
    const address = server.address();
    process.send?.({ port: typeof address === 'object' && address !== null ? address.port : 0 });
  });
  process.on('disconnect', () => server.close(() => process.exit(0)));
}

/** Starts the echo server in its own process (its own core, like the gateway) and returns its URL. */
export function startEchoServer(entry: string): Promise<{ url: string; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = fork(entry, ['echo-server'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (message: { port: number }) => resolve({ url: `ws://127.0.0.1:${message.port}`, child }));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`echo server exited (${code})`)));
  });
}
