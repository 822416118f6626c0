/**
 * Fraud signals recorded with every verified interval (pure). They do not block crediting: they explain
 * to the gifts service (and to a sponsor) why an interval may not be trustworthy.
 */

export const FraudFlag = {
  /** Both phones' last radar positions are farther apart than BLE can reach (a relay). */
  relaySuspected: 1,
  /** One phone reported the very same RSSI many times in a row (real radio readings fluctuate). */
  constantRssi: 2,
  /** A token of this connection was presented after it expired or was replaced (a replay). */
  tokenReplay: 4,
  /** A heartbeat cadence no phone produces: a burst faster than the app sends, or machine-perfect timing. */
  implausibleCadence: 8,
} as const;

export type FraudFlagName = keyof typeof FraudFlag;
export const FRAUD_FLAG_NAMES = Object.keys(FraudFlag) as FraudFlagName[];

export function flagsToRecord(flags: number): Record<FraudFlagName, boolean> {
  const record = {} as Record<FraudFlagName, boolean>;
  for (const name of FRAUD_FLAG_NAMES) record[name] = (flags & FraudFlag[name]) !== 0;
  return record;
}

export interface SignalSettings {
  windowMs: number;
  constantRssiCount: number;
  minHeartbeatIntervalMs: number;
  minCadenceJitterMs: number;
}

/** Per-phone statistics of its event stream within one session. */
export interface SideSignals {
  lastRssi: number | null;
  sameRssiCount: number;
  /** The latest intervals between consecutive events of a steady stream (ms), oldest first. */
  recentIntervalsMs: number[];
  /** Consecutive intervals shorter than the app's minimum heartbeat interval. */
  fastStreak: number;
}

export function emptySideSignals(): SideSignals {
  return { lastRssi: null, sameRssiCount: 0, recentIntervalsMs: [], fastStreak: 0 };
}

/** Intervals over which the regularity of a stream is judged. */
export const CADENCE_SAMPLES = 10;
/** Consecutive too-fast intervals that make a burst (one quick start+heartbeat pair is normal). */
export const FAST_STREAK_LIMIT = 3;

/**
 * Updates a phone's statistics with an event (`previousAt` = its previous event, if any) and returns
 * the flags this event raises:
 * - constantRssi: the same RSSI `constantRssiCount` times in a row;
 * - implausibleCadence: FAST_STREAK_LIMIT intervals in a row shorter than the app's minimum interval, or
 *   the last CADENCE_SAMPLES intervals all within `minCadenceJitterMs` of each other (a timer, not a
 *   phone: radio scanning, OS scheduling and the network always add jitter).
 */
export function observeEvent(
  signals: SideSignals,
  rssi: number,
  at: number,
  previousAt: number | null,
  settings: SignalSettings,
): { signals: SideSignals; flags: number } {
  let flags = 0;
  const sameRssiCount = signals.lastRssi === rssi ? signals.sameRssiCount + 1 : 1;
  if (sameRssiCount >= settings.constantRssiCount) flags |= FraudFlag.constantRssi;

  let recentIntervalsMs: number[] = [];
  let fastStreak = 0;
  const interval = previousAt === null ? null : at - previousAt;
  // A gap longer than the window starts a new stream: regularity is judged on steady streams only.
  if (interval !== null && interval <= settings.windowMs) {
    fastStreak = interval < settings.minHeartbeatIntervalMs ? signals.fastStreak + 1 : 0;
    if (fastStreak >= FAST_STREAK_LIMIT) flags |= FraudFlag.implausibleCadence;
    recentIntervalsMs = [...signals.recentIntervalsMs, interval].slice(-CADENCE_SAMPLES);
    if (recentIntervalsMs.length === CADENCE_SAMPLES) {
      const spread = Math.max(...recentIntervalsMs) - Math.min(...recentIntervalsMs);
      if (spread < settings.minCadenceJitterMs) flags |= FraudFlag.implausibleCadence;
    }
  }
  return { signals: { lastRssi: rssi, sameRssiCount, recentIntervalsMs, fastStreak }, flags };
}

export interface Position {
  lat: number;
  lng: number;
  accuracyMeters?: number | null;
  updatedAt: string;
}

const EARTH_RADIUS_METERS = 6_371_008.8;

/** Great-circle distance in meters (haversine). */
export function distanceMeters(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const toRad = (deg: number) => (deg * Math.PI) / 180;
  const dLat = toRad(b.lat - a.lat);
  const dLng = toRad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(toRad(a.lat)) * Math.cos(toRad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_METERS * Math.asin(Math.min(1, Math.sqrt(h)));
}

export type RelayVerdict =
  | { known: false }
  | { known: true; distanceMeters: number; suspected: boolean };

/**
 * Compares both phones' last radar positions: suspected when they are farther apart than BLE range even
 * after giving each its GPS accuracy. Unknown when a position is missing or older than `maxAgeMs`.
 */
export function judgeRelay(
  a: Position | null | undefined,
  b: Position | null | undefined,
  now: number,
  settings: { maxBleDistanceMeters: number; positionMaxAgeMs: number },
): RelayVerdict {
  if (!a || !b) return { known: false };
  const fresh = (p: Position) => {
    const at = Date.parse(p.updatedAt);
    return Number.isFinite(at) && now - at <= settings.positionMaxAgeMs;
  };
  if (!fresh(a) || !fresh(b)) return { known: false };
  const distance = distanceMeters(a, b);
  const slack = (a.accuracyMeters ?? 0) + (b.accuracyMeters ?? 0);
  return { known: true, distanceMeters: distance, suspected: distance - slack > settings.maxBleDistanceMeters };
}
