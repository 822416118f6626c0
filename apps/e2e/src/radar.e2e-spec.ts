import type {
  ConnectionRequestSentPayload,
  ErrorPayload,
  NearbyUser,
  PresenceUpdatedPayload,
  RadarNearbyUpdatedPayload,
} from '@gisbi/contracts';
import { startStack, type SignedInUser, type Stack, type TestSocket } from '@gisbi/testing';

type Connected = SignedInUser & { socket: TestSocket };
interface Point {
  lat: number;
  lng: number;
}

const PRECISION = 50;
const EARTH_RADIUS = 6_371_008.8;
const rad = (degrees: number) => (degrees * Math.PI) / 180;

/** Independent of the service's code on purpose: the test checks the numbers from first principles. */
function haversine(a: Point, b: Point): number {
  const h = Math.sin(rad(b.lat - a.lat) / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(rad(b.lng - a.lng) / 2) ** 2;
  return 2 * EARTH_RADIUS * Math.asin(Math.sqrt(h));
}

function bearing(from: Point, to: Point): number {
  const y = Math.sin(rad(to.lng - from.lng)) * Math.cos(rad(to.lat));
  const x = Math.cos(rad(from.lat)) * Math.sin(rad(to.lat)) - Math.sin(rad(from.lat)) * Math.cos(rad(to.lat)) * Math.cos(rad(to.lng - from.lng));
  return (((Math.atan2(y, x) * 180) / Math.PI) % 360 + 360) % 360;
}

/** `meters` due east of `from` (exact along the parallel for these short distances). */
function east(from: Point, meters: number): Point {
  return { lat: from.lat, lng: from.lng + (meters / (EARTH_RADIUS * Math.cos(rad(from.lat)))) * (180 / Math.PI) };
}

/** Issue 3 end to end: real clients through gateway, presence, auth and connections. */
describe('radar, end to end', () => {
  let stack: Stack;
  let ada: Connected;
  let bola: Connected;
  let carol: Connected;
  const adaAt: Point = { lat: 6.5244, lng: 3.3792 };
  const bolaAt = east(adaAt, 8);
  const carolAt = east(adaAt, -30);

  async function locate(user: Connected, at: Point): Promise<{ presence: PresenceUpdatedPayload; nearby: NearbyUser[] }> {
    const reply = await user.socket.request<PresenceUpdatedPayload>('presence.location_update', { ...at, accuracyMeters: 5 });
    expect(reply.type).toBe('presence.updated');
    const radar = await user.socket.nextWithRequestId<RadarNearbyUpdatedPayload>(reply.requestId ?? '');
    expect(radar.type).toBe('radar.nearby.updated');
    return { presence: reply.payload, nearby: radar.payload.nearbyUsers };
  }

  /** How many events `user` has received so far: pushes before this mark are ignored by `pushed`. */
  const mark = (user: Connected) => user.socket.received.length;

  /** The next radar pushed to `user` (without them doing anything) after `since` that satisfies `where`. */
  async function pushed(user: Connected, since: number, where: (nearby: NearbyUser[]) => boolean): Promise<NearbyUser[]> {
    const event = await user.socket.next<RadarNearbyUpdatedPayload>(
      'radar.nearby.updated',
      (payload, envelope) =>
        envelope.requestId === undefined &&
        (user.socket.received as unknown[]).indexOf(envelope) >= since &&
        where(payload.nearbyUsers),
      8000,
    );
    return event.payload.nearbyUsers;
  }

  const entry = (nearby: NearbyUser[], user: Connected) => nearby.find((candidate) => candidate.user.id === user.user.id);

  beforeAll(async () => {
    stack = await startStack({
      label: 'radar',
      // Movement pushes wait 5 s by default (a viewer's own updates usually answer them first); shorter here.
      env: { RADAR_STRANGER_PRECISION_METERS: String(PRECISION), RADAR_RADIUS_METERS: '500', RADAR_PUSH_MOVE_DELAY_MS: '300' },
    });
    [ada, bola, carol] = await Promise.all([
      stack.connectedUser('radar-ada', 'Ada'),
      stack.connectedUser('radar-bola', 'Bola'),
      stack.connectedUser('radar-carol', 'Carol'),
    ]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([ada, bola, carol].map((user) => user?.socket.close()));
    await stack?.stop();
  });

  it('shows two clients 8 m apart to each other: grid-bounded as strangers, exact once connected', async () => {
    const own = await locate(ada, adaAt);
    expect(own.presence).toMatchObject({ userId: ada.user.id, presence: { isLive: true, isOnRadar: true, location: { ...adaAt, accuracyMeters: 5 } } });

    const beforeBola = mark(ada);
    const seen = await locate(bola, bolaAt);
    const adaForBola = entry(seen.nearby, ada);
    expect(adaForBola).toMatchObject({ user: { id: ada.user.id, name: 'Ada' }, isLive: true, location: { precisionMeters: PRECISION } });
    // As strangers: a grid point within the precision of the truth, distance and bearing from that point.
    expect(haversine(adaForBola!.location, adaAt)).toBeLessThanOrEqual(PRECISION);
    expect(adaForBola!.distance).toBeCloseTo(haversine(bolaAt, adaForBola!.location), 0);
    expect(adaForBola!.angle).toBeCloseTo(bearing(bolaAt, adaForBola!.location), 0);
    // Ada did not move, yet her radar now shows Bola.
    await pushed(ada, beforeBola, (nearby) => entry(nearby, bola) !== undefined);

    const [adaBefore, bolaBefore] = [mark(ada), mark(bola)];
    const request = await ada.socket.request<ConnectionRequestSentPayload>('connection.request.send', { userId: bola.user.id });
    await bola.socket.next('connection.request.send');
    await bola.socket.request('connection.request.accept', { requestId: request.payload.request.requestId });

    // Connected: both get a fresh radar with exact positions, 8 m apart, Bola due east of Ada.
    const adaView = await pushed(ada, adaBefore, (nearby) => entry(nearby, bola)?.location.precisionMeters === 0);
    expect(entry(adaView, bola)).toMatchObject({ distance: 8, angle: 90, location: { lat: bolaAt.lat, lng: bolaAt.lng, precisionMeters: 0 } });
    const bolaView = await pushed(bola, bolaBefore, (nearby) => entry(nearby, ada)?.location.precisionMeters === 0);
    expect(entry(bolaView, ada)).toMatchObject({ distance: 8, angle: 270 });
  });

  it('makes a hidden user vanish from the other radar without the other moving, and come back', async () => {
    const beforeHide = mark(ada);
    const hidden = await bola.socket.request<PresenceUpdatedPayload>('radar.set_visible', { isOnRadar: false });
    expect(hidden.payload.presence).toMatchObject({ isOnRadar: false, isLive: true });
    await pushed(ada, beforeHide, (nearby) => entry(nearby, bola) === undefined);
    // Hidden, Bola still sees the radar.
    expect(entry((await locate(bola, bolaAt)).nearby, ada)).toBeDefined();
    expect(entry((await locate(ada, adaAt)).nearby, bola)).toBeUndefined();

    const beforeShow = mark(ada);
    await bola.socket.request('radar.set_visible', { isOnRadar: true });
    await pushed(ada, beforeShow, (nearby) => entry(nearby, bola) !== undefined);
  });

  it('makes users who block each other vanish from both radars', async () => {
    const beforeCarol = mark(ada);
    await locate(carol, carolAt);
    await pushed(ada, beforeCarol, (nearby) => entry(nearby, carol) !== undefined);
    const beforeBlock = mark(ada);
    await carol.socket.request('safety.block', { blockedUserId: ada.user.id });
    await pushed(ada, beforeBlock, (nearby) => entry(nearby, carol) === undefined && entry(nearby, bola) !== undefined);
    expect(entry((await locate(carol, carolAt)).nearby, ada)).toBeUndefined();
  });

  it('refuses bad coordinates with invalid_location', async () => {
    for (const payload of [{ lat: 123, lng: 3 }, { lat: 6.5, lng: -200 }, { lat: 6.5, lng: 3, heading: 360 }, { lat: 'north', lng: 3 }]) {
      const reply = await ada.socket.request<ErrorPayload>('presence.location_update', payload);
      expect(reply).toMatchObject({ type: 'error', payload: { code: 'invalid_location', domain: 'presence' } });
    }
  });

  it('makes a disconnected user vanish from the other radar', async () => {
    const beforeClose = mark(ada);
    await bola.socket.close();
    await pushed(ada, beforeClose, (nearby) => entry(nearby, bola) === undefined);
    expect(entry((await locate(ada, adaAt)).nearby, bola)).toBeUndefined();
  });
});
