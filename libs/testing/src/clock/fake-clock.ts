import { Clock } from '@gisbi/platform';

/** A clock tests move by hand: expiry and windows are tested at their exact boundary, without sleeping. */
export class FakeClock extends Clock {
  private current: number;

  constructor(start: Date | string = '2026-04-17T12:00:00.000Z') {
    super();
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(at: Date | string): void {
    this.current = new Date(at).getTime();
  }

  advance(ms: number): Date {
    this.current += ms;
    return this.now();
  }

  advanceSeconds(seconds: number): Date {
    return this.advance(seconds * 1000);
  }
}
