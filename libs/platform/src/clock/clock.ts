/**
 * All time goes through this, so expiry, rotation and heartbeat windows are tested by moving a fake
 * clock instead of sleeping. Never call `new Date()` or SQL `now()` for domain time.
 */
export abstract class Clock {
  abstract now(): Date;

  nowMs(): number {
    return this.now().getTime();
  }

  nowIso(): string {
    return this.now().toISOString();
  }
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
