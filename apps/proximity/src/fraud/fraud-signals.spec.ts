import {
  CADENCE_SAMPLES,
  distanceMeters,
  emptySideSignals,
  FAST_STREAK_LIMIT,
  flagsToRecord,
  FraudFlag,
  judgeRelay,
  observeEvent,
  type SideSignals,
  type SignalSettings,
} from './fraud-signals';

const settings: SignalSettings = { windowMs: 15_000, constantRssiCount: 5, minHeartbeatIntervalMs: 1000, minCadenceJitterMs: 2 };

function feed(events: Array<{ rssi: number; at: number }>): { signals: SideSignals; flags: number[] } {
  let signals = emptySideSignals();
  let previous: number | null = null;
  const flags: number[] = [];
  for (const event of events) {
    const result = observeEvent(signals, event.rssi, event.at, previous, settings);
    signals = result.signals;
    flags.push(result.flags);
    previous = event.at;
  }
  return { signals, flags };
}

describe('fraud signals', () => {
  it('flags a run of identical RSSI readings at the configured count', () => {
    const { flags } = feed([0, 1, 2, 3, 4].map((i) => ({ rssi: -60, at: i * 5017 + (i % 2) * 300 })));
    expect(flags.slice(0, 4).every((f) => (f & FraudFlag.constantRssi) === 0)).toBe(true);
    expect(flags[4]! & FraudFlag.constantRssi).toBe(FraudFlag.constantRssi);
  });

  it('does not flag fluctuating RSSI', () => {
    const { flags } = feed([0, 1, 2, 3, 4, 5, 6].map((i) => ({ rssi: -60 - (i % 3), at: i * 5000 + (i % 2) * 250 })));
    expect(flags.every((f) => (f & FraudFlag.constantRssi) === 0)).toBe(true);
  });

  it('flags a burst of heartbeats faster than the app sends, but not one quick pair', () => {
    const single = feed([
      { rssi: -60, at: 0 },
      { rssi: -61, at: 200 },
      { rssi: -62, at: 5200 },
    ]);
    expect(single.flags.every((f) => (f & FraudFlag.implausibleCadence) === 0)).toBe(true);
    const burst = feed(Array.from({ length: FAST_STREAK_LIMIT + 1 }, (_, i) => ({ rssi: -60 - (i % 4), at: i * 100 })));
    expect(burst.flags.at(-1)! & FraudFlag.implausibleCadence).toBe(FraudFlag.implausibleCadence);
  });

  it('flags machine-perfect cadence after enough samples, not human jitter', () => {
    const perfect = feed(Array.from({ length: CADENCE_SAMPLES + 2 }, (_, i) => ({ rssi: -60 - (i % 4), at: i * 5000 + (i === 0 ? -900 : 0) })));
    expect(perfect.flags.slice(0, -1).every((f) => (f & FraudFlag.implausibleCadence) === 0)).toBe(true);
    expect(perfect.flags.at(-1)! & FraudFlag.implausibleCadence).toBe(FraudFlag.implausibleCadence);
    const jitter = [0, 37, -52, 18, 90, -11, 64, -40, 23, -75, 48, 5];
    const human = feed(jitter.map((j, i) => ({ rssi: -60 - (i % 4), at: i * 5000 + j })));
    expect(human.flags.every((f) => (f & FraudFlag.implausibleCadence) === 0)).toBe(true);
  });

  it('restarts cadence statistics after a gap longer than the window', () => {
    const { signals } = feed([
      { rssi: -60, at: 0 },
      { rssi: -61, at: 5000 },
      { rssi: -62, at: 60_000 },
    ]);
    expect(signals.recentIntervalsMs).toEqual([]);
  });

  it('computes great-circle distances', () => {
    expect(distanceMeters({ lat: 6.5244, lng: 3.3792 }, { lat: 6.5244, lng: 3.3792 })).toBe(0);
    const oneDegreeLat = distanceMeters({ lat: 0, lng: 0 }, { lat: 1, lng: 0 });
    expect(oneDegreeLat).toBeGreaterThan(111_000);
    expect(oneDegreeLat).toBeLessThan(111_400);
  });

  it('suspects a relay only for fresh positions beyond BLE range plus accuracy', () => {
    const now = Date.parse('2026-04-17T12:00:00Z');
    const at = '2026-04-17T11:59:30Z';
    const relay = { maxBleDistanceMeters: 100, positionMaxAgeMs: 120_000 };
    const a = { lat: 6.5244, lng: 3.3792, accuracyMeters: 5, updatedAt: at };
    const near = { lat: 6.5248, lng: 3.3792, accuracyMeters: 5, updatedAt: at }; // ~44 m
    const far = { lat: 6.5344, lng: 3.3792, accuracyMeters: 5, updatedAt: at }; // ~1.1 km
    const farButVague = { ...far, accuracyMeters: 2000 };
    expect(judgeRelay(a, near, now, relay)).toMatchObject({ known: true, suspected: false });
    expect(judgeRelay(a, far, now, relay)).toMatchObject({ known: true, suspected: true });
    expect(judgeRelay(a, farButVague, now, relay)).toMatchObject({ known: true, suspected: false });
    expect(judgeRelay(a, null, now, relay)).toEqual({ known: false });
    expect(judgeRelay(a, { ...far, updatedAt: '2026-04-17T11:50:00Z' }, now, relay)).toEqual({ known: false });
  });

  it('reports every flag by name', () => {
    expect(flagsToRecord(FraudFlag.relaySuspected | FraudFlag.tokenReplay)).toEqual({
      relaySuspected: true,
      constantRssi: false,
      tokenReplay: true,
      implausibleCadence: false,
    });
  });
});
