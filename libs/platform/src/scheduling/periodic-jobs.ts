import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';

/**
 * Runs background work on an interval without overlapping runs. Exactly-once per item is NOT this
 * class's job: each job claims due rows atomically in SQL (UPDATE ... RETURNING or SKIP LOCKED), so any
 * number of replicas can run the same job at once.
 */
@Injectable()
export class PeriodicJobs implements BeforeApplicationShutdown {
  private readonly logger = new Logger(PeriodicJobs.name);
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly running = new Map<string, Promise<unknown>>();
  private stopped = false;

  every(name: string, intervalMs: number, job: () => Promise<unknown>): void {
    const timer = setInterval(() => {
      if (this.stopped || this.running.has(name)) return;
      const run = job()
        .catch((error: unknown) => this.logger.error(`job ${name} failed: ${error instanceof Error ? error.stack : String(error)}`))
        .finally(() => this.running.delete(name));
      this.running.set(name, run);
    }, intervalMs);
    timer.unref();
    this.timers.push(timer);
  }

  /** Before connections close: stop taking new work and let in-flight work finish. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
    await Promise.all(this.running.values());
  }
}
