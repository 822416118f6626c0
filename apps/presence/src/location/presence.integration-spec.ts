import { DomainEvent, ErrorCode, IdPrefix, type BootstrapPart, type NearbyUser, type User } from '@gisbi/contracts';
import { newId } from '@gisbi/platform';
import { destinationPoint, haversineMeters, initialBearingDegrees, roundBearing, roundTenth, snapToGrid, type LatLng } from '../geo/geo-math';
import { RadarPushService } from '../push/radar-push.service';
import { PresenceHarness, settle } from '../test/presence-harness';
import { PresenceController } from './presence.controller';

const PRECISION = 50;
const RADIUS = 500;
const MAX_RESULTS = 5;
/** Moves the clock past staleness between independent polar cases (their users must not mix). */
const PRESENCE_STALE_FOR_TESTS = 121;

const round7 = (degrees: number) => Math.round(degrees * 1e7) / 1e7;

/** Cities far apart, so each test has its own neighbourhood in the shared index. */
const LAGOS = { lat: 6.5244, lng: 3.3792 };

describe(PresenceController.name, () => {
  let h: PresenceHarness;
  let spot = 0;

  /** A fresh neighbourhood for each test: ~20 km apart, well beyond the radius. */
  function freshArea(): LatLng {
    spot += 1;
    return destinationPoint(LAGOS, 90, spot * 20_000);
  }

  async function onlineUser(name: string, vibe: string | null = null): Promise<User> {
    const user = h.addUser(name, vibe);
    await h.openSocket(user.id);
    return user;
  }

  async function connectPair(a: User, b: User): Promise<void> {
    const [userAId, userBId] = [a.id, b.id].sort() as [string, string];
    await h.publishAndApply(
      DomainEvent.ConnectionAccepted,
      {
        connectionId: newId(IdPrefix.connection),
        requestId: newId(IdPrefix.request),
        userAId,
        userBId,
        senderId: a.id,
        receiverId: b.id,
        connectedLocation: null,
        acceptedAt: h.clock.nowIso(),
      },
      [`c:${a.id}`, `c:${b.id}`],
    );
  }

  function find(list: NearbyUser[], user: User): NearbyUser | undefined {
    return list.find((entry) => entry.user.id === user.id);
  }

  beforeAll(async () => {
    h = await PresenceHarness.start('presence-radar', {
      RADAR_RADIUS_METERS: String(RADIUS),
      RADAR_MAX_RESULTS: String(MAX_RESULTS),
      RADAR_STRANGER_PRECISION_METERS: String(PRECISION),
    });
  });

  afterAll(async () => {
    await h?.stop();
  });

  it('answers presence.updated to every socket of the user and the radar to the sender', async () => {
    const base = freshArea();
    const alice = h.addUser('Alice', '#coffee and techno tonight');
    await h.openSocket(alice.id, 'gw-1', 'alice-phone');
    const bob = h.addUser('Bob', 'Coffee, hiking');
    await h.openSocket(bob.id, 'gw-1', 'bob-phone');
    await h.openSocket(bob.id, 'gw-1', 'bob-tablet');
    const bobDeliveries = h.recorder(bob.id);
    const bobAt = destinationPoint(base, 45, 120);

    const own = await h.update(bob.id, bobAt, { accuracyMeters: 6.2, heading: 120, speed: 1.7 }, 'bob-phone');

    expect(own.presence).toEqual({
      userId: bob.id,
      presence: {
        isLive: true,
        isOnRadar: true,
        location: { lat: bobAt.lat, lng: bobAt.lng, accuracyMeters: 6.2, heading: 120, speed: 1.7, updatedAt: h.clock.nowIso() },
      },
    });
    expect(own.nearby).toEqual([]);
    // The other device gets presence.updated too; the sending socket got it as the reply.
    await h.until(() => bobDeliveries.ofType('presence.updated').length === 1, 'presence.updated to the other device');
    expect(bobDeliveries.ofType('presence.updated')[0]).toMatchObject({ exceptSocketId: 'bob-phone', payload: own.presence });
    // A user with a single socket gets it only as the reply: nothing is published for other devices.
    const aliceDeliveries = h.recorder(alice.id);
    await h.update(alice.id, base, {}, 'alice-phone');
    await settle(100);
    expect(aliceDeliveries.ofType('presence.updated')).toEqual([]);

    h.clock.advanceSeconds(3);
    const seen = await h.update(alice.id, base);
    const snapped = snapToGrid(bobAt, PRECISION);
    const shown = { lat: round7(snapped.lat), lng: round7(snapped.lng) };
    expect(seen.nearby).toEqual([
      {
        user: { id: bob.id, name: 'Bob', age: 30, avatar: null, gender: null, vibe: 'Coffee, hiking', vibeExpiresAt: null },
        distance: roundTenth(haversineMeters(base, snapped)),
        angle: roundBearing(initialBearingDegrees(base, snapped)),
        isLive: true,
        sharedInterests: ['coffee'],
        // A stranger: the grid point, no heading or speed, and how fresh and how precise it is.
        location: {
          lat: shown.lat,
          lng: shown.lng,
          accuracyMeters: 6.2,
          updatedAt: new Date(h.clock.nowMs() - 3000).toISOString(),
          ageSeconds: 3,
          precisionMeters: PRECISION,
        },
      },
    ]);
    expect(Math.abs(seen.nearby[0]!.distance - 120)).toBeLessThanOrEqual(PRECISION);
  });

  it('refuses invalid coordinates with invalid_location and writes nothing', async () => {
    const base = freshArea();
    const carol = await onlineUser('Carol');
    await h.update(carol.id, base);
    const before = await h.rpc<{ positions: Record<string, unknown> }>('positions', { userIds: [carol.id] });
    const invalid = [
      { lat: 90.0001, lng: 0 },
      { lat: -91, lng: 0 },
      { lat: 0, lng: 180.5 },
      { lat: 0, lng: -181 },
      { lat: '6.5', lng: 3 },
      { lng: 3 },
      { lat: 6 },
      { lat: 6, lng: 3, accuracyMeters: -1 },
      { lat: 6, lng: 3, heading: 360 },
      { lat: 6, lng: 3, heading: -0.1 },
      { lat: 6, lng: 3, speed: -1 },
      { lat: null, lng: 3 },
    ];
    for (const payload of invalid) {
      const reply = await h.command('presence.location_update', payload, carol.id);
      expect(reply).toEqual({ ok: false, error: expect.objectContaining({ code: ErrorCode.invalid_location, domain: 'presence' }) });
    }
    expect(await h.rpc('positions', { userIds: [carol.id] })).toEqual(before);
  });

  it('refuses an impossible jump of the own position with rate_limited until it becomes plausible', async () => {
    const base = freshArea();
    const dave = await onlineUser('Dave');
    await h.update(dave.id, base);
    const farAway = destinationPoint(base, 0, 12_000);

    h.clock.advanceSeconds(10);
    const refused = await h.command('presence.location_update', farAway, dave.id);
    expect(refused).toEqual({ ok: false, error: expect.objectContaining({ code: ErrorCode.rate_limited }) });
    const positions = await h.rpc<{ positions: Record<string, { lat: number } | null> }>('positions', { userIds: [dave.id] });
    expect(positions.positions[dave.id]?.lat).toBe(base.lat);

    // A small GPS wobble is fine at once; 12 km is fine after 40 s (300 m/s).
    await h.update(dave.id, destinationPoint(base, 90, 150));
    h.clock.advanceSeconds(40);
    await h.update(dave.id, farAway);
  });

  it('shows connected users exactly and strangers only as their grid point, whatever the viewer position', async () => {
    const base = freshArea();
    const erin = await onlineUser('Erin');
    const frank = await onlineUser('Frank');
    const grace = await onlineUser('Grace');
    const frankAt = destinationPoint(base, 200, 37);
    await h.update(frank.id, frankAt, { heading: 10, speed: 1.2, accuracyMeters: 3 });
    await connectPair(erin, frank);
    await h.update(grace.id, destinationPoint(base, 100, 60));

    const view = await h.update(erin.id, base);
    expect(find(view.nearby, frank)).toMatchObject({
      distance: roundTenth(haversineMeters(base, frankAt)),
      angle: roundBearing(initialBearingDegrees(base, frankAt)),
      location: { lat: frankAt.lat, lng: frankAt.lng, heading: 10, speed: 1.2, accuracyMeters: 3, precisionMeters: 0 },
    });
    expect(find(view.nearby, frank)!.distance).toBe(37);

    // A stranger (Grace) sees Frank on the grid; probing from many spoofed spots reveals one point only.
    const revealed = new Set<string>();
    for (const [bearing, meters] of [
      [0, 0],
      [90, 40],
      [180, 80],
      [300, 150],
    ] as const) {
      h.clock.advanceSeconds(2);
      const probe = await h.update(grace.id, destinationPoint(base, bearing, meters));
      const entry = find(probe.nearby, frank)!;
      expect(entry.location).not.toHaveProperty('heading');
      expect(entry.location).not.toHaveProperty('speed');
      expect(entry.location.precisionMeters).toBe(PRECISION);
      revealed.add(`${entry.location.lat},${entry.location.lng}`);
      // Distance and angle are from the grid point, never from the true one.
      const viewer = destinationPoint(base, bearing, meters);
      expect(entry.distance).toBe(roundTenth(haversineMeters(viewer, snapToGrid(frankAt, PRECISION))));
    }
    const grid = snapToGrid(frankAt, PRECISION);
    expect([...revealed]).toEqual([`${round7(grid.lat)},${round7(grid.lng)}`]);
  });

  it('includes a user exactly at the radius and excludes one just beyond', async () => {
    const base = freshArea();
    const viewer = await onlineUser('Heidi');
    const atRadius = await onlineUser('Ivan');
    const beyond = await onlineUser('Judy');
    await connectPair(viewer, atRadius);
    await connectPair(viewer, beyond);
    await h.update(atRadius.id, destinationPoint(base, 30, RADIUS));
    await h.update(beyond.id, destinationPoint(base, 210, RADIUS + 0.5));

    const view = await h.update(viewer.id, base);
    expect(view.nearby.map((entry) => entry.user.id)).toEqual([atRadius.id]);
    expect(view.nearby[0]).toMatchObject({ distance: RADIUS, angle: 30 });
  });

  it('measures across the antimeridian', async () => {
    const east = { lat: -16.5, lng: 179.9999 };
    const west = { lat: -16.5, lng: -179.9999 };
    const kim = await onlineUser('Kim');
    const leo = await onlineUser('Leo');
    const stranger = await onlineUser('Mia');
    await connectPair(kim, leo);
    await h.update(leo.id, west);
    await h.update(stranger.id, { lat: -16.5002, lng: -179.9998 });

    const view = await h.update(kim.id, east);
    expect(find(view.nearby, leo)).toMatchObject({ distance: roundTenth(haversineMeters(east, west)), angle: 90 });
    expect(find(view.nearby, leo)!.distance).toBeLessThan(25);
    const snappedStranger = find(view.nearby, stranger)!;
    expect(snappedStranger.distance).toBeLessThanOrEqual(PRECISION + 40);
  });

  it('measures near the poles, including beyond the Redis GEO latitude limit', async () => {
    const cases: Array<[LatLng, LatLng]> = [
      // Across the north pole itself.
      [
        { lat: 89.9999, lng: 0 },
        { lat: 89.9999, lng: 180 },
      ],
      // Beyond 85.05112878, where Redis GEO cannot store a point.
      [
        { lat: 86, lng: 10 },
        { lat: 86.003, lng: 10 },
      ],
      // Straddling the limit.
      [
        { lat: 85.05, lng: -40 },
        { lat: 85.053, lng: -40 },
      ],
      // The south pole.
      [
        { lat: -89.99995, lng: 45 },
        { lat: -89.99995, lng: -135 },
      ],
    ];
    for (const [from, to] of cases) {
      const viewer = await onlineUser('Polar viewer');
      const other = await onlineUser('Polar friend');
      const stranger = await onlineUser('Polar stranger');
      await connectPair(viewer, other);
      await h.update(other.id, to);
      await h.update(stranger.id, to);
      const view = await h.update(viewer.id, from);
      const expected = haversineMeters(from, to);
      expect(find(view.nearby, other)).toMatchObject({
        distance: roundTenth(expected),
        angle: roundBearing(initialBearingDegrees(from, to)),
        location: { lat: to.lat, lng: to.lng, precisionMeters: 0 },
      });
      // The stranger at the same spot is found too, on the grid.
      expect(find(view.nearby, stranger)).toBeDefined();
      expect(Math.abs(find(view.nearby, stranger)!.distance - expected)).toBeLessThanOrEqual(PRECISION);
      // And the other way round.
      const back = await h.update(other.id, to);
      expect(find(back.nearby, viewer)?.distance).toBe(roundTenth(expected));
      h.clock.advanceSeconds(PRESENCE_STALE_FOR_TESTS);
    }
  });

  it('handles identical coordinates: distance 0 and angle 0 for connected users', async () => {
    const base = freshArea();
    const nina = await onlineUser('Nina');
    const omar = await onlineUser('Omar');
    await connectPair(nina, omar);
    await h.update(omar.id, base);
    const view = await h.update(nina.id, base);
    expect(find(view.nearby, omar)).toMatchObject({ distance: 0, angle: 0, location: { lat: base.lat, lng: base.lng } });
  });

  it('lists at most RADAR_MAX_RESULTS of many users at one spot, nearest first', async () => {
    const base = freshArea();
    const viewer = await onlineUser('Crowd viewer');
    const crowd: User[] = [];
    for (let i = 0; i < MAX_RESULTS + 4; i++) {
      const member = await onlineUser(`Crowd ${i}`);
      crowd.push(member);
      await h.update(member.id, destinationPoint(base, 0, 300));
    }
    const nearer = await onlineUser('Nearer');
    await h.update(nearer.id, destinationPoint(base, 180, 100));

    const view = await h.update(viewer.id, base);
    expect(view.nearby).toHaveLength(MAX_RESULTS);
    expect(view.nearby[0]!.user.id).toBe(nearer.id);
    const distances = view.nearby.map((entry) => entry.distance);
    expect([...distances].sort((a, b) => a - b)).toEqual(distances);
    // Everyone in the crowd shares one grid point: one distance for all of them.
    expect(new Set(distances.slice(1)).size).toBe(1);
  });

  it('hides users blocked either way (connections events), pushing the change to both', async () => {
    const base = freshArea();
    const paul = await onlineUser('Paul');
    const quinn = await onlineUser('Quinn');
    const rita = await onlineUser('Rita');
    await h.update(quinn.id, destinationPoint(base, 10, 40));
    await h.update(rita.id, destinationPoint(base, 100, 40));
    expect((await h.update(paul.id, base)).nearby.map((e) => e.user.id).sort()).toEqual([quinn.id, rita.id].sort());
    await settle(); // pushes caused by Paul's arrival are out
    const paulPushes = h.recorder(paul.id);
    const quinnPushes = h.recorder(quinn.id);

    // Quinn blocks Paul: both vanish from each other's radar without moving (past the last push's interval).
    h.clock.advanceSeconds(1);
    await h.publishAndApply(DomainEvent.UserBlocked, { blockerId: quinn.id, blockedId: paul.id, at: h.clock.nowIso() }, [
      `b:${quinn.id}`,
      `b:${paul.id}`,
    ]);
    // A push already claimed before the block counts against the 2/s: the fresh one is due 500 ms later.
    h.clock.advanceSeconds(1);
    await h.sut.get(RadarPushService).flushDue();
    const ids = (radar: NearbyUser[]) => radar.map((e) => e.user.id);
    await h.until(
      () =>
        paulPushes.radars().some((radar) => ids(radar).join() === rita.id) &&
        quinnPushes.radars().some((radar) => !ids(radar).includes(paul.id)),
      'pushes after the block',
    );
    expect((await h.update(paul.id, base)).nearby.map((e) => e.user.id)).toEqual([rita.id]);
    expect((await h.update(quinn.id, destinationPoint(base, 10, 40))).nearby.map((e) => e.user.id)).not.toContain(paul.id);

    h.clock.advanceSeconds(1);
    await h.publishAndApply(DomainEvent.UserUnblocked, { blockerId: quinn.id, blockedId: paul.id, at: h.clock.nowIso() }, [
      `b:${quinn.id}`,
      `b:${paul.id}`,
    ]);
    expect((await h.update(paul.id, base)).nearby.map((e) => e.user.id).sort()).toEqual([quinn.id, rita.id].sort());

    // A late redelivery of the older block changes nothing.
    const stale = await h.publishEvent(DomainEvent.UserBlocked, {
      blockerId: quinn.id,
      blockedId: paul.id,
      at: new Date(h.clock.nowMs() - 1000).toISOString(),
    });
    await h.applied(stale);
    expect((await h.update(paul.id, base)).nearby.map((e) => e.user.id)).toContain(quinn.id);
  });

  it('drops deleted accounts from every radar at once and refuses their updates', async () => {
    const base = freshArea();
    const sam = await onlineUser('Sam');
    const tess = await onlineUser('Tess');
    await h.update(tess.id, destinationPoint(base, 0, 50));
    expect((await h.update(sam.id, base)).nearby.map((e) => e.user.id)).toEqual([tess.id]);
    const samPushes = h.recorder(sam.id);

    h.users.set(tess.id, { ...h.users.get(tess.id)!, deleted: true });
    await h.publishAndApply(DomainEvent.UserDeleted, { userId: tess.id, deletedAt: h.clock.nowIso() }, [`p:${tess.id}`]);
    await h.until(() => samPushes.radars().some((radar) => radar.length === 0), 'push without the deleted user');
    expect((await h.update(sam.id, base)).nearby).toEqual([]);
    const refused = await h.command('presence.location_update', base, tess.id);
    expect(refused).toEqual({ ok: false, error: expect.objectContaining({ code: ErrorCode.account_deleted }) });
    expect(await h.rpc('positions', { userIds: [tess.id] })).toEqual({ positions: { [tess.id]: null } });
  });

  it('keeps profiles from auth.user_updated and asks auth only once for a user it does not know', async () => {
    const base = freshArea();
    const uma = await onlineUser('Uma', 'jazz and sushi');
    const vic = await onlineUser('Vic', 'sushi');
    await h.update(vic.id, destinationPoint(base, 0, 30));
    const first = await h.update(uma.id, base);
    expect(find(first.nearby, vic)).toMatchObject({ user: { name: 'Vic' }, sharedInterests: ['sushi'] });
    await h.update(uma.id, base);
    await h.update(uma.id, base);
    expect(h.directoryLookups.get(vic.id)).toBe(1);

    const updated: User = { ...vic, name: 'Victoria', vibe: '#Jazz #sushi' };
    h.users.set(vic.id, { ...updated, deleted: false });
    h.clock.advanceSeconds(1);
    await h.publishAndApply(DomainEvent.UserUpdated, { user: updated }, [`p:${vic.id}`]);
    const after = await h.update(uma.id, base);
    expect(find(after.nearby, vic)).toMatchObject({ user: { name: 'Victoria', vibe: '#Jazz #sushi' }, sharedInterests: ['jazz', 'sushi'] });
    expect(h.directoryLookups.get(vic.id)).toBe(1);
  });

  it('leaves users auth does not know off the radar without failing the command', async () => {
    const base = freshArea();
    const viewer = await onlineUser('Known');
    const ghostId = newId(IdPrefix.user);
    await h.openSocket(ghostId);
    await h.update(ghostId, destinationPoint(base, 0, 30));
    expect((await h.update(viewer.id, base)).nearby).toEqual([]);
    await h.update(viewer.id, base);
    expect(h.directoryLookups.get(ghostId)).toBe(1);
  });

  it('no longer counts an expired vibe', async () => {
    const base = freshArea();
    const wes = await onlineUser('Wes', 'climbing');
    const expiresAt = new Date(h.clock.nowMs() + 5000).toISOString();
    const xena = h.addUser('Xena', 'climbing', { vibeExpiresAt: expiresAt });
    await h.openSocket(xena.id);
    await h.update(xena.id, destinationPoint(base, 0, 30));
    expect(find((await h.update(wes.id, base)).nearby, xena)?.sharedInterests).toEqual(['climbing']);
    h.clock.advanceSeconds(6);
    await h.update(xena.id, destinationPoint(base, 0, 30));
    expect(find((await h.update(wes.id, base)).nearby, xena)).toMatchObject({
      sharedInterests: [],
      user: { vibe: null, vibeExpiresAt: null },
    });
  });

  it('answers liveness and positions in one batch, and refuses malformed requests', async () => {
    const base = freshArea();
    const yan = await onlineUser('Yan');
    const zoe = h.addUser('Zoe');
    await h.update(yan.id, base, { accuracyMeters: 5 });
    const unknown = newId(IdPrefix.user);

    const liveness = await h.liveness([yan.id, zoe.id, unknown], true);
    expect(liveness).toEqual({
      live: { [yan.id]: true, [zoe.id]: false, [unknown]: false },
      positions: {
        [yan.id]: { lat: base.lat, lng: base.lng, accuracyMeters: 5, updatedAt: h.clock.nowIso() },
        [zoe.id]: null,
        [unknown]: null,
      },
    });
    expect(await h.liveness([yan.id])).toEqual({ live: { [yan.id]: true } });
    await expect(h.rpc('liveness', { userIds: 'nope' })).rejects.toThrow(ErrorCode.invalid_payload);
    await expect(h.rpc('positions', { userIds: Array.from({ length: 1001 }, (_, i) => `user_${i}`) })).rejects.toThrow(
      ErrorCode.invalid_payload,
    );
  });

  it('contributes presence and nearbyUsers to the bootstrap', async () => {
    const base = freshArea();
    const amy = await onlineUser('Amy');
    const ben = await onlineUser('Ben');
    const newcomer = h.addUser('Newcomer');
    await h.update(ben.id, destinationPoint(base, 0, 40));
    await h.update(amy.id, base, { accuracyMeters: 4 });

    const part = await h.rpc<BootstrapPart>('bootstrap', { userId: amy.id });
    expect(part.presence).toEqual({
      isLive: true,
      isOnRadar: true,
      location: { lat: base.lat, lng: base.lng, accuracyMeters: 4, updatedAt: h.clock.nowIso() },
    });
    expect(part.nearbyUsers?.map((entry) => entry.user.id)).toEqual([ben.id]);
    expect(await h.rpc('bootstrap', { userId: newcomer.id })).toEqual({
      presence: { isLive: false, isOnRadar: true, location: null },
      nearbyUsers: [],
    });
    await settle(10);
  });
});
