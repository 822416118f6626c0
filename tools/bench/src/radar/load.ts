import { LatencyHistogram } from './histogram';
import type { BenchSocket } from './socket-client';

/** Something to load: one socket per simulated user and the frame user `index` sends next. */
export interface LoadTarget {
  label: string;
  sockets: BenchSocket[];
  frame(index: number, requestId: string): string;
}

export interface LoadResult {
  label: string;
  mode: 'closed' | 'open';
  /** Closed loop: requests in flight; open loop: target rate (req/s). */
  parameter: number;
  seconds: number;
  completed: number;
  failed: number;
  /** Open loop: requests not sent because too many were already waiting. */
  shed: number;
  throughput: number;
  latency: LatencyHistogram;
  pushesPerSecond: number;
  failures: Record<string, number>;
}

let sequence = 0;
const nextRequestId = () => `b${(sequence++).toString(36)}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function pushesOf(target: LoadTarget): number {
  return target.sockets.reduce((total, socket) => total + socket.pushes, 0);
}

/** `concurrency` workers, each sending its next request as soon as the previous one completed. */
export async function closedLoop(target: LoadTarget, concurrency: number, seconds: number): Promise<LoadResult> {
  const latency = new LatencyHistogram();
  const failures: Record<string, number> = {};
  let completed = 0;
  let failed = 0;
  let next = 0;
  const pushesBefore = pushesOf(target);
  const started = process.hrtime.bigint();
  const end = Date.now() + seconds * 1000;
  const worker = async () => {
    while (Date.now() < end) {
      const index = next++ % target.sockets.length;
      const socket = target.sockets[index] as BenchSocket;
      const requestId = nextRequestId();
      try {
        latency.recordNanos(await socket.request(target.frame(index, requestId), requestId));
        completed++;
      } catch (error) {
        failed++;
        const reason = error instanceof Error ? error.message : String(error);
        failures[reason] = (failures[reason] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    label: target.label,
    mode: 'closed',
    parameter: concurrency,
    seconds: elapsed,
    completed,
    failed,
    shed: 0,
    throughput: completed / elapsed,
    latency,
    pushesPerSecond: (pushesOf(target) - pushesBefore) / elapsed,
    failures,
  };
}

/**
 * Requests at a fixed rate whatever the answers do, each measured from the moment it was due (not
 * when it could be sent), so a stall shows in the latency instead of hiding (coordinated omission).
 */
export async function openLoop(target: LoadTarget, rate: number, seconds: number, maxInFlight = 20_000): Promise<LoadResult> {
  const latency = new LatencyHistogram();
  const failures: Record<string, number> = {};
  let completed = 0;
  let failed = 0;
  let shed = 0;
  let inFlight = 0;
  const total = Math.floor(rate * seconds);
  const pushesBefore = pushesOf(target);
  const started = process.hrtime.bigint();
  const work: Promise<void>[] = [];
  let sent = 0;
  while (sent < total) {
    const elapsedSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const due = Math.min(total, Math.floor(elapsedSeconds * rate) + 1);
    while (sent < due) {
      const k = sent++;
      if (inFlight >= maxInFlight) {
        shed++;
        continue;
      }
      const intended = started + BigInt(Math.round((k / rate) * 1e9));
      const index = k % target.sockets.length;
      const socket = target.sockets[index] as BenchSocket;
      const requestId = nextRequestId();
      inFlight++;
      work.push(
        socket.request(target.frame(index, requestId), requestId, intended).then(
          (nanos) => {
            inFlight--;
            completed++;
            latency.recordNanos(nanos);
          },
          (error: unknown) => {
            inFlight--;
            failed++;
            const reason = error instanceof Error ? error.message : String(error);
            failures[reason] = (failures[reason] ?? 0) + 1;
          },
        ),
      );
    }
    await sleep(1);
  }
  await Promise.all(work);
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    label: target.label,
    mode: 'open',
    parameter: rate,
    seconds: elapsed,
    completed,
    failed,
    shed,
    throughput: completed / elapsed,
    latency,
    pushesPerSecond: (pushesOf(target) - pushesBefore) / elapsed,
    failures,
  };
}
