import * as hdr from 'hdr-histogram-js';

/** Latency histogram in microseconds (HDR: 3 significant digits from 1 µs to 60 s). */
export class LatencyHistogram {
  private readonly histogram = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 60_000_000,
    numberOfSignificantValueDigits: 3,
    autoResize: true,
  });

  recordMicros(micros: number): void {
    this.histogram.recordValue(Math.max(1, Math.round(micros)));
  }

  recordNanos(nanos: bigint | number): void {
    this.recordMicros(Number(nanos) / 1000);
  }

  get count(): number {
    return this.histogram.totalCount;
  }

  /** Milliseconds at a percentile (0-100). */
  percentileMs(percentile: number): number {
    return this.count === 0 ? Number.NaN : this.histogram.getValueAtPercentile(percentile) / 1000;
  }

  get maxMs(): number {
    return this.count === 0 ? Number.NaN : this.histogram.maxValue / 1000;
  }

  get meanMs(): number {
    return this.count === 0 ? Number.NaN : this.histogram.mean / 1000;
  }
}
