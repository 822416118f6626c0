import { Inject, Injectable, Logger, Optional, type BeforeApplicationShutdown, type OnApplicationShutdown } from '@nestjs/common';

/** How long a signalled shutdown may take (SHUTDOWN_GRACE_MS) before the process exits anyway. */
export const SHUTDOWN_GRACE_MS = Symbol('SHUTDOWN_GRACE_MS');

/**
 * Flips to "draining" as soon as shutdown begins, before any connection closes, so readiness fails and
 * the load balancer / Kubernetes endpoints stop sending new work while in-flight work finishes.
 *
 * A shutdown started by a signal gets SHUTDOWN_GRACE_MS to finish: past it (a handler that never
 * settles, a connection that never closes) the process logs what happened and exits non-zero itself,
 * rather than waiting for Kubernetes' SIGKILL with nothing in the logs.
 */
@Injectable()
export class ShutdownState implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(ShutdownState.name);
  private drainingSince?: Date;
  private watchdog?: NodeJS.Timeout;

  constructor(@Optional() @Inject(SHUTDOWN_GRACE_MS) private readonly graceMs?: number) {}

  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  beforeApplicationShutdown(signal?: string): void {
    this.drainingSince = new Date();
    this.logger.log(`shutting down (${signal ?? 'close'}): draining`);
    if (signal && this.graceMs !== undefined && !this.watchdog) {
      this.watchdog = setTimeout(() => {
        this.logger.error(`shutdown did not finish within SHUTDOWN_GRACE_MS (${this.graceMs} ms); exiting`);
        process.exit(1);
      }, this.graceMs);
      // The watchdog alone must not keep a finished process alive.
      this.watchdog.unref();
    }
  }

  onApplicationShutdown(): void {
    clearTimeout(this.watchdog);
    this.watchdog = undefined;
  }
}
