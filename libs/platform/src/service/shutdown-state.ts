import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';

/** How long a signalled shutdown may take (SHUTDOWN_GRACE_MS) before the process exits anyway. */
export const SHUTDOWN_GRACE_MS = Symbol('SHUTDOWN_GRACE_MS');

const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * Flips to "draining" as soon as shutdown begins, before any connection closes, so readiness fails and
 * the load balancer / Kubernetes endpoints stop sending new work while in-flight work finishes.
 *
 * A shutdown started by a signal gets SHUTDOWN_GRACE_MS to finish: past it (a handler that never
 * settles, a connection that never closes, a handle that keeps the process alive) the process logs what
 * happened and exits non-zero itself, rather than waiting for Kubernetes' SIGKILL with nothing in the
 * logs. Both start at the signal itself, before Nest's first shutdown hook (its module-destroy hooks run
 * before `beforeApplicationShutdown`).
 */
@Injectable()
export class ShutdownState implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(ShutdownState.name);
  private drainingSince?: Date;
  private watchdog?: NodeJS.Timeout;

  constructor(@Optional() @Inject(SHUTDOWN_GRACE_MS) private readonly graceMs?: number) {}

  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  onApplicationBootstrap(): void {
    if (this.graceMs === undefined) return;
    for (const signal of SHUTDOWN_SIGNALS) process.once(signal, this.shutdownRequested);
  }

  /** A shutdown signal arrived: drain, and give the shutdown SHUTDOWN_GRACE_MS. */
  readonly shutdownRequested = (signal: string): void => {
    this.startDraining(signal);
    if (this.graceMs === undefined || this.watchdog) return;
    this.watchdog = setTimeout(() => {
      this.logger.error(`shutdown did not finish within SHUTDOWN_GRACE_MS (${this.graceMs} ms); exiting`);
      process.exit(1);
    }, this.graceMs);
    // The watchdog alone must not keep a finished process alive.
    this.watchdog.unref();
  };

  beforeApplicationShutdown(signal?: string): void {
    this.startDraining(signal ?? 'close');
  }

  onApplicationShutdown(): void {
    // An app closed without a signal (tests, tools) leaves no listener behind. The watchdog, if armed,
    // stays: it is unref'd, so it only acts on a process that would not exit.
    for (const signal of SHUTDOWN_SIGNALS) process.off(signal, this.shutdownRequested);
  }

  private startDraining(reason: string): void {
    if (this.drainingSince) return;
    this.drainingSince = new Date();
    this.logger.log(`shutting down (${reason}): draining`);
  }
}
