import type { BenchUser } from './sign-in';
import { BenchSocket } from './socket-client';

export interface IdleSocketsResult {
  sockets: number;
  users: number;
  rssBeforeBytes: number;
  rssAfterBytes: number;
  heapBeforeBytes: number;
  heapAfterBytes: number;
  openSeconds: number;
}

/**
 * Gateway memory per idle socket: opens `count` authenticated sockets that then say nothing (spread over
 * the signed-in users) and compares the gateway's resident memory before and after, from its /metrics.
 */
export async function measureIdleSockets(options: {
  gateway: string;
  /** The gateway's internal management port, which serves its /metrics. */
  gatewayManagement: string;
  users: BenchUser[];
  count: number;
  openConcurrency: number;
  settleSeconds: number;
  log: (line: string) => void;
}): Promise<IdleSocketsResult> {
  const wsUrl = `${options.gateway.replace(/^http/, 'ws')}/ws`;
  await sleep(options.settleSeconds * 1000);
  const before = await gatewayMemory(options.gatewayManagement);
  const sockets: BenchSocket[] = [];
  const started = Date.now();
  let next = 0;
  const opener = async () => {
    for (;;) {
      const index = next++;
      if (index >= options.count) return;
      const user = options.users[index % options.users.length] as BenchUser;
      sockets.push(await BenchSocket.open(wsUrl, { token: user.accessToken, completesOn: 'none', pushType: 'none' }));
      if (sockets.length % 5000 === 0) options.log(`  ${sockets.length} idle sockets open`);
    }
  };
  await Promise.all(Array.from({ length: options.openConcurrency }, opener));
  const openSeconds = (Date.now() - started) / 1000;
  await sleep(options.settleSeconds * 1000);
  const after = await gatewayMemory(options.gatewayManagement);
  await Promise.all(sockets.map((socket) => socket.close()));
  return {
    sockets: sockets.length,
    users: Math.min(options.count, options.users.length),
    rssBeforeBytes: before.rss,
    rssAfterBytes: after.rss,
    heapBeforeBytes: before.heap,
    heapAfterBytes: after.heap,
    openSeconds,
  };
}

async function gatewayMemory(gatewayManagement: string): Promise<{ rss: number; heap: number }> {
  const text = await (await fetch(`${gatewayManagement}/metrics`)).text();
  const read = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+]+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
  return { rss: read('process_resident_memory_bytes'), heap: read('nodejs_heap_size_used_bytes') };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
