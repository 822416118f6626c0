import { DataSource } from 'typeorm';
import { DomainEvent, ErrorCode, type LiveChangedEvent, type User } from '@gisbi/contracts';
import { destinationPoint, snapToGrid, type LatLng } from '../geo/geo-math';
import { RadarPushService } from '../push/radar-push.service';
import { PresenceHarness, settle } from '../test/presence-harness';
import { LivenessService } from './liveness.service';

const GATEWAY_TIMEOUT_MS = 30_000;
const STALE_SECONDS = 60;
const MOVE_DELAY_MS = 5000;

/** Liveness from the gateways' control messages, pushes to affected viewers, and radar visibility. */
describe(LivenessService.name, () => {
  let h: PresenceHarness;
  let spot = 0;

  function freshArea(): LatLng {
    spot += 1;
    return destinationPoint({ lat: 48.1372, lng: 11.5756 }, 90, spot * 20_000);
  }

  const liveness = () => h.sut.get(LivenessService);
  const pushes = () => h.sut.get(RadarPushService);

  async function liveChanges(userId: string): Promise<boolean[]> {
    const rows: Array<{ payload: LiveChangedEvent }> = await h.sut
      .get(DataSource)
      .query(`SELECT payload FROM outbox_events WHERE name = $1 AND payload->>'userId' = $2 ORDER BY id`, [DomainEvent.LiveChanged, userId]);
    return rows.map((row) => row.payload.isLive);
  }

  /** The live_changed events written for a user, once there are `count` of them. */
  async function liveChangesWhen(userId: string, count: number): Promise<boolean[]> {
    await h.until(async () => (await liveChanges(userId)).length >= count, `${count} live_changed for ${userId}`);
    return liveChanges(userId);
  }

  async function isLive(user: User): Promise<boolean> {
    return (await h.liveness([user.id])).live[user.id] === true;
  }

  async function radarIds(user: User, at: LatLng): Promise<string[]> {
    return (await h.update(user.id, at)).nearby.map((entry) => entry.user.id);
  }

  beforeAll(async () => {
    h = await PresenceHarness.start('presence-liveness', {
      PRESENCE_GATEWAY_TIMEOUT_MS: String(GATEWAY_TIMEOUT_MS),
      PRESENCE_STALE_SECONDS: String(STALE_SECONDS),
      RADAR_PUSH_MAX_PER_SECOND: '2',
      RADAR_PUSH_MOVE_DELAY_MS: String(MOVE_DELAY_MS),
    });
  });

  afterAll(async () => {
    await h?.stop();
  });

  it('goes live with socket.opened, offline with the last socket.closed, and publishes presence.live_changed', async () => {
    const ann = h.addUser('Ann');
    expect(await isLive(ann)).toBe(false);
    const socket = await h.openSocket(ann.id);
    expect(await liveChangesWhen(ann.id, 1)).toEqual([true]);

    await h.closeSocket(ann.id, socket);
    await h.until(async () => !(await isLive(ann)), 'Ann offline');
    expect(await liveChangesWhen(ann.id, 2)).toEqual([true, false]);

    // A late socket.opened of the closed socket (replicas racing) does not resurrect her.
    await h.openSocket(ann.id, 'gw-1', 'other-socket');
    await h.closeSocket(ann.id, 'other-socket');
    await h.until(async () => !(await isLive(ann)), 'Ann offline again');
    await h.publishControl('socket.opened', { userId: ann.id, socketId: socket, gatewayId: 'gw-1', at: h.clock.nowIso() });
    await settle(100);
    expect(await isLive(ann)).toBe(false);
  });

  it('ignores malformed control messages', async () => {
    await h.publishControl('socket.opened', '{not json');
    await h.publishControl('socket.opened', { userId: 42 });
    await h.publishControl('gateway.heartbeat', { gatewayId: 'gw-x', userIds: 'all' });
    const bob = h.addUser('Bob');
    await h.openSocket(bob.id);
    expect(await isLive(bob)).toBe(true);
  });

  it('keeps a user live and on the radar while a second device stays connected', async () => {
    const base = freshArea();
    const viewer = h.addUser('Viewer');
    const cleo = h.addUser('Cleo');
    await h.openSocket(viewer.id);
    const phone = await h.openSocket(cleo.id, 'gw-1', 'cleo-phone');
    await h.update(cleo.id, destinationPoint(base, 0, 30), {}, 'cleo-phone');
    const tablet = await h.openSocket(cleo.id, 'gw-2', 'cleo-tablet');
    expect(await radarIds(viewer, base)).toEqual([cleo.id]);

    await h.closeSocket(cleo.id, phone, 'gw-1');
    await settle(100);
    expect(await isLive(cleo)).toBe(true);
    expect(await radarIds(viewer, base)).toEqual([cleo.id]);
    expect(await liveChangesWhen(cleo.id, 1)).toEqual([true]);

    const viewerPushes = h.recorder(viewer.id);
    h.clock.advanceSeconds(1);
    await h.closeSocket(cleo.id, tablet, 'gw-2');
    await h.until(async () => !(await isLive(cleo)), 'Cleo offline');
    // The viewer did not move, yet gets a radar without her.
    await h.until(() => viewerPushes.radars().some((radar) => radar.length === 0), 'push without Cleo');
    expect(await radarIds(viewer, base)).toEqual([]);
  });

  it('takes the users of a gateway that stops heart-beating offline, and keeps those of one that beats', async () => {
    const base = freshArea();
    const viewer = h.addUser('Watcher');
    const dora = h.addUser('Dora');
    const eli = h.addUser('Eli');
    await h.openSocket(viewer.id, 'gw-alive');
    await h.openSocket(dora.id, 'gw-crashing');
    await h.openSocket(eli.id, 'gw-alive');
    await h.update(dora.id, destinationPoint(base, 0, 40));
    await h.update(eli.id, destinationPoint(base, 90, 40));
    expect((await radarIds(viewer, base)).sort()).toEqual([dora.id, eli.id].sort());
    const viewerPushes = h.recorder(viewer.id);

    // gw-alive beats every 10 s; gw-crashing never again. Everyone keeps sending fixes.
    for (let second = 10; second <= GATEWAY_TIMEOUT_MS / 1000; second += 10) {
      h.clock.advanceSeconds(10);
      await h.heartbeat('gw-alive', [viewer.id, eli.id]);
      await h.update(dora.id, destinationPoint(base, 0, 40));
      await h.update(eli.id, destinationPoint(base, 90, 40));
      await h.update(viewer.id, base);
    }
    // Exactly at the timeout the gateway still counts as alive.
    await liveness().sweep();
    expect(await isLive(dora)).toBe(true);

    h.clock.advanceSeconds(1);
    await h.heartbeat('gw-alive', [viewer.id, eli.id]);
    const report = await liveness().sweep();
    expect(report.wentOffline).toBeGreaterThanOrEqual(1);
    expect(await isLive(dora)).toBe(false);
    expect(await isLive(viewer)).toBe(true);
    expect(await isLive(eli)).toBe(true);
    expect(await liveChangesWhen(dora.id, 2)).toEqual([true, false]);
    await pushes().flushDue();
    await h.until(() => viewerPushes.radars().some((radar) => radar.length === 1), 'push without Dora');
    expect(viewerPushes.radars().find((radar) => radar.length === 1)!.map((entry) => entry.user.id)).toEqual([eli.id]);
    // She is off the radar even though her last fix is still fresh.
    expect(await radarIds(viewer, base)).toEqual([eli.id]);
  });

  it('adopts users a heartbeat lists after a lost socket.opened, and drops those it stops listing', async () => {
    const fay = h.addUser('Fay');
    const gus = h.addUser('Gus');
    await h.heartbeat('gw-3', [fay.id, gus.id]);
    await h.until(async () => (await isLive(fay)) && (await isLive(gus)), 'adopted from the heartbeat');
    expect(await liveChangesWhen(fay.id, 1)).toEqual([true]);

    // Gus's socket.closed was lost: gw-3 keeps beating but stops listing him.
    for (let i = 0; i < 3; i++) {
      h.clock.advanceSeconds(10);
      await h.heartbeat('gw-3', [fay.id]);
    }
    h.clock.advanceSeconds(1);
    await h.heartbeat('gw-3', [fay.id]);
    await settle(50);
    await liveness().sweep();
    expect(await isLive(fay)).toBe(true);
    expect(await isLive(gus)).toBe(false);

    // A heartbeat taken before a socket.closed does not bring the user back.
    const hana = h.addUser('Hana');
    const socket = await h.openSocket(hana.id, 'gw-3');
    const before = new Date(h.clock.nowMs() - 5000).toISOString();
    await h.closeSocket(hana.id, socket, 'gw-3');
    await h.until(async () => !(await isLive(hana)), 'Hana offline');
    await h.heartbeat('gw-3', [fay.id, hana.id], before);
    await settle(100);
    expect(await isLive(hana)).toBe(false);
  });

  it('takes a user off the radar when their fix goes stale, until the next one', async () => {
    const base = freshArea();
    const ivy = h.addUser('Ivy');
    const jon = h.addUser('Jon');
    await h.openSocket(ivy.id);
    await h.openSocket(jon.id);
    await h.update(jon.id, destinationPoint(base, 0, 40));
    expect(await radarIds(ivy, base)).toEqual([jon.id]);
    const ivyPushes = h.recorder(ivy.id);

    h.clock.advanceSeconds(STALE_SECONDS);
    await h.update(ivy.id, base);
    expect(await radarIds(ivy, base)).toEqual([jon.id]);
    expect((await h.liveness([jon.id], true)).positions?.[jon.id]).not.toBeNull();

    h.clock.advanceSeconds(1);
    expect(await radarIds(ivy, base)).toEqual([]);
    await h.heartbeat('gw-1', [ivy.id, jon.id]);
    await settle(50);
    expect((await liveness().sweep()).staleTakenOff).toBeGreaterThanOrEqual(1);
    await pushes().flushDue();
    await h.until(() => ivyPushes.radars().some((radar) => radar.length === 0), 'push without Jon');
    // Still connected, but without a fresh position.
    expect(await h.liveness([jon.id], true)).toEqual({ live: { [jon.id]: true }, positions: { [jon.id]: null } });

    await h.update(jon.id, destinationPoint(base, 0, 40));
    expect(await radarIds(ivy, base)).toEqual([jon.id]);
  });

  it('pushes movement (into, within, out of a radar) to the viewers around, after the move delay, and to nobody else', async () => {
    const base = freshArea();
    const near = h.addUser('Near viewer');
    const far = h.addUser('Far viewer');
    const hidden = h.addUser('Hidden viewer');
    const mover = h.addUser('Mover');
    for (const user of [near, far, hidden, mover]) await h.openSocket(user.id);
    await h.update(near.id, base);
    await h.update(far.id, destinationPoint(base, 90, 3000));
    await h.setVisible(hidden.id, false);
    await h.update(hidden.id, destinationPoint(base, 270, 100));
    await h.update(mover.id, destinationPoint(base, 0, 2000));
    await settle();
    const nearPushes = h.recorder(near.id);
    const farPushes = h.recorder(far.id);
    const hiddenPushes = h.recorder(hidden.id);

    /** Moves the clock to just before and then to the end of the move delay, flushing each time. */
    async function throughMoveDelay(): Promise<void> {
      h.clock.advance(MOVE_DELAY_MS - 1);
      await pushes().flushDue();
      await settle(100);
      h.clock.advance(1);
      await pushes().flushDue();
    }

    // Enters: from 2 km away to 200 m. Nothing before the delay, then one push to each viewer around.
    h.clock.advanceSeconds(10);
    await h.update(mover.id, destinationPoint(base, 0, 200));
    await throughMoveDelay();
    await h.until(() => nearPushes.radars().length === 1 && hiddenPushes.radars().length === 1, 'entering pushes');
    expect(nearPushes.radars()[0]!.map((entry) => entry.user.id)).toEqual([mover.id]);
    expect(hiddenPushes.radars()[0]!.map((entry) => entry.user.id)).toContain(mover.id);

    // Moves within the radar to another grid cell: a fresh position.
    h.clock.advanceSeconds(1);
    await h.update(mover.id, destinationPoint(base, 0, 100));
    h.clock.advance(MOVE_DELAY_MS - 1);
    await pushes().flushDue();
    await settle(100);
    expect(nearPushes.radars()).toHaveLength(1);
    h.clock.advance(1);
    await pushes().flushDue();
    await h.until(() => nearPushes.radars().length === 2, 'moving push');
    expect(nearPushes.radars()[1]![0]!.distance).toBeLessThan(nearPushes.radars()[0]![0]!.distance);

    // The viewer's own update answers a pending refresh: no push follows.
    h.clock.advanceSeconds(1);
    await h.update(mover.id, destinationPoint(base, 0, 200));
    expect((await h.update(near.id, base)).nearby[0]!.user.id).toBe(mover.id);
    await throughMoveDelay();
    await settle(100);
    expect(nearPushes.radars()).toHaveLength(2);

    // A step inside the same grid cell changes nothing a stranger can see: no push.
    h.clock.advanceSeconds(1);
    const cell = snapToGrid(destinationPoint(base, 0, 200), 50).cell;
    const cellmate = [200.3, 199.7, 200.6, 199.4, 200.9, 199.1]
      .map((meters) => destinationPoint(base, 0, meters))
      .find((point) => snapToGrid(point, 50).cell === cell)!;
    await h.update(mover.id, cellmate);
    await throughMoveDelay();
    await settle();
    expect(nearPushes.radars()).toHaveLength(2);

    // Leaves.
    h.clock.advanceSeconds(10);
    await h.update(mover.id, destinationPoint(base, 0, 2000));
    await throughMoveDelay();
    await h.until(() => nearPushes.radars().length === 3, 'leaving push');
    expect(nearPushes.radars()[2]).toEqual([]);
    await settle();
    expect(farPushes.radars()).toEqual([]);
  });

  it('pushes state changes at once, coalesced to at most RADAR_PUSH_MAX_PER_SECOND per viewer', async () => {
    const base = freshArea();
    const viewer = h.addUser('Busy viewer');
    await h.openSocket(viewer.id);
    const others: User[] = [];
    for (let i = 0; i < 4; i++) {
      const other = h.addUser(`Neighbour ${i}`);
      await h.openSocket(other.id);
      await h.update(other.id, destinationPoint(base, i * 90, 60));
      others.push(other);
    }
    await h.update(viewer.id, base);
    await settle();
    const viewerPushes = h.recorder(viewer.id);

    // One neighbour hides: pushed at once. Three more hide in the same instant: coalesced into one push,
    // 500 ms after the first.
    h.clock.advanceSeconds(1);
    await h.setVisible(others[0]!.id, false);
    await h.until(() => viewerPushes.radars().length === 1, 'first push');
    expect(viewerPushes.radars()[0]).toHaveLength(3);
    for (const other of others.slice(1)) await h.setVisible(other.id, false);
    await settle(200);
    expect(viewerPushes.radars()).toHaveLength(1);

    h.clock.advance(499);
    await pushes().flushDue();
    await settle(100);
    expect(viewerPushes.radars()).toHaveLength(1);

    h.clock.advance(1);
    await pushes().flushDue();
    await h.until(() => viewerPushes.radars().length === 2, 'coalesced push');
    expect(viewerPushes.radars()[1]).toEqual([]);
    await settle(100);
    expect(viewerPushes.radars()).toHaveLength(2);
  });

  it('hides and shows with radar.set_visible, at once for every viewer, persisted across a restart', async () => {
    const base = freshArea();
    const kai = h.addUser('Kai');
    const lou = h.addUser('Lou');
    await h.openSocket(kai.id);
    await h.openSocket(lou.id, 'gw-1', 'lou-phone');
    await h.openSocket(lou.id, 'gw-2', 'lou-tablet');
    await h.update(lou.id, destinationPoint(base, 0, 40), {}, 'lou-phone');
    expect(await radarIds(kai, base)).toEqual([lou.id]);
    await settle();
    const kaiPushes = h.recorder(kai.id);
    const louDevices = h.recorder(lou.id);

    h.clock.advanceSeconds(1);
    const hidden = await h.setVisible(lou.id, false, 'lou-phone');
    expect(hidden.presence.presence).toMatchObject({ isLive: true, isOnRadar: false, location: { lat: expect.any(Number) } });
    // Hidden users still see the radar themselves.
    expect(hidden.nearby.map((entry) => entry.user.id)).toEqual([kai.id]);
    await h.until(() => kaiPushes.radars().some((radar) => radar.length === 0), 'Kai pushed without Lou');
    await h.until(() => louDevices.ofType('presence.updated').length === 1, 'presence.updated to Lou’s other devices');
    expect(louDevices.ofType('presence.updated')[0]).toMatchObject({ exceptSocketId: 'lou-phone' });

    // Moving does not bring Lou back; nor does a restart (even with Redis' copy of the choice gone).
    await h.update(lou.id, destinationPoint(base, 0, 45), {}, 'lou-phone');
    expect(await radarIds(kai, base)).toEqual([]);
    await h.restart();
    await h.redis.del('presence:vis');
    const after = await h.update(lou.id, destinationPoint(base, 0, 45), {}, 'lou-phone');
    expect(after.presence.presence.isOnRadar).toBe(false);
    expect(await radarIds(kai, base)).toEqual([]);
    expect(await h.rpc('bootstrap', { userId: lou.id })).toMatchObject({ presence: { isOnRadar: false, isLive: true } });

    const shown = await h.setVisible(lou.id, true, 'lou-phone');
    expect(shown.presence.presence.isOnRadar).toBe(true);
    expect(await radarIds(kai, base)).toEqual([lou.id]);
  });

  it('refuses radar.set_visible without a boolean', async () => {
    const max = h.addUser('Max');
    for (const payload of [{}, { isOnRadar: 'false' }, { isOnRadar: null }]) {
      const reply = await h.command('radar.set_visible', payload, max.id);
      expect(reply).toEqual({ ok: false, error: expect.objectContaining({ code: ErrorCode.missing_isOnRadar }) });
    }
  });
});
