import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';

/**
 * Flips to "draining" as soon as shutdown begins, before any connection closes, so readiness fails and
 * the load balancer / Kubernetes endpoints stop sending new work while in-flight work finishes.
 */
@Injectable()
export class ShutdownState implements BeforeApplicationShutdown {
  private readonly logger = new Logger(ShutdownState.name);
  private drainingSince?: Date;

  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  beforeApplicationShutdown(signal?: string): void {
    this.drainingSince = new Date();
    this.logger.log(`shutting down (${signal ?? 'close'}): draining`);
  }
}
