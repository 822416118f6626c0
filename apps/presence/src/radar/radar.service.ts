import { Inject, Injectable } from '@nestjs/common';
import type { NearbyLocation, NearbyUser, User } from '@gisbi/contracts';
import { Clock } from '@gisbi/platform';
import { RADAR_SETTINGS, type RadarSettings } from '../config/radar-settings';
import { haversineMeters, initialBearingDegrees, roundBearing, roundTenth, type LatLng } from '../geo/geo-math';
import { ProjectionReader, type RadarProfile, type ViewerContext } from '../projections/projection-reader';
import { LiveLocationStore, type RadarSnapshot } from '../store/live-location.store';
import { strangerPoint, type StoredLocation } from '../store/stored-location';
import { sharedInterests } from './shared-interests';

/** Extra candidates asked of Redis beyond the cap: the viewer themself, blocked users, races. */
const CANDIDATE_SLACK = 8;
/** How many times a short radar may widen its candidate window (x4 each). */
const MAX_WIDENINGS = 2;
/** Float noise allowance so a user placed exactly on the radius is included. */
const RADIUS_EPSILON_METERS = 1e-6;

interface Row {
  userId: string;
  stored: StoredLocation;
  exact: boolean;
  point: LatLng;
  distance: number;
  angle: number;
  profileGeneration: string;
}

/**
 * Turns a Redis radar snapshot into the contract's NearbyUser list: exclusions (self, stale, blocked
 * either way, deleted), privacy (strangers see grid-snapped points and distances/angles from them,
 * connected users see exact values), radius check on those points, nearest first, capped.
 */
@Injectable()
export class RadarService {
  constructor(
    private readonly store: LiveLocationStore,
    private readonly projections: ProjectionReader,
    private readonly clock: Clock,
    @Inject(RADAR_SETTINGS) private readonly settings: RadarSettings,
  ) {}

  /** COUNT to ask Redis for, for this viewer. */
  candidateCount(viewerId: string): number {
    return this.settings.maxResults + 1 + CANDIDATE_SLACK + Math.min(this.projections.blockedCountHint(viewerId), 1000);
  }

  /** Whether the snapshot's viewer has a radar at all (a fresh fix). */
  hasRadar(snapshot: RadarSnapshot): boolean {
    return snapshot.viewer !== undefined && this.clock.nowMs() - snapshot.viewer.at <= this.settings.staleMs;
  }

  async build(viewerId: string, first: RadarSnapshot): Promise<NearbyUser[]> {
    if (!first.viewer || !this.hasRadar(first)) return [];
    let snapshot = first;
    for (let widening = 0; ; widening++) {
      const viewerLocation = snapshot.viewer;
      if (!viewerLocation || !this.hasRadar(snapshot)) return [];
      const context = await this.projections.viewerContext(viewerId, snapshot.generations);
      const rows = this.select(viewerId, viewerLocation, snapshot, context);
      const profiles = await this.projections.profilesOf(rows.map((row) => ({ userId: row.userId, generation: row.profileGeneration })));
      const kept = rows.filter((row) => profiles.has(row.userId));
      const mayHaveMore = snapshot.candidates.length >= snapshot.requested;
      if (kept.length >= this.settings.maxResults || !mayHaveMore || widening >= MAX_WIDENINGS) {
        return kept.slice(0, this.settings.maxResults).map((row) => this.toNearbyUser(row, profiles.get(row.userId) as RadarProfile, context));
      }
      snapshot = await this.store.radar(viewerId, snapshot.requested * 4);
    }
  }

  private select(viewerId: string, viewer: StoredLocation, snapshot: RadarSnapshot, context: ViewerContext): Row[] {
    const now = this.clock.nowMs();
    const { radiusMeters, staleMs, strangerPrecisionMeters } = this.settings;
    const rows: Row[] = [];
    for (const candidate of snapshot.candidates) {
      const stored = candidate.location;
      if (candidate.userId === viewerId || !stored) continue;
      if (now - stored.at > staleMs) continue;
      if (context.blocked.has(candidate.userId)) continue;
      const exact = context.peers.has(candidate.userId);
      const point = exact ? { lat: stored.lat, lng: stored.lng } : strangerPoint(stored, strangerPrecisionMeters);
      const distance = haversineMeters(viewer, point);
      if (distance > radiusMeters + RADIUS_EPSILON_METERS) continue;
      const angle = distance === 0 ? 0 : initialBearingDegrees(viewer, point);
      rows.push({ userId: candidate.userId, stored, exact, point, distance, angle, profileGeneration: candidate.profileGeneration });
    }
    rows.sort((a, b) => a.distance - b.distance || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
    return rows;
  }

  private toNearbyUser(row: Row, profile: RadarProfile, context: ViewerContext): NearbyUser {
    const now = this.clock.nowMs();
    const location: NearbyLocation = {
      // A grid point needs no more than 7 decimals (1 cm); exact positions are sent as stored.
      lat: row.exact ? row.point.lat : roundTo7(row.point.lat),
      lng: row.exact ? row.point.lng : roundTo7(row.point.lng),
      ...(row.stored.acc !== undefined ? { accuracyMeters: row.stored.acc } : {}),
      ...(row.exact && row.stored.hdg !== undefined ? { heading: row.stored.hdg } : {}),
      ...(row.exact && row.stored.spd !== undefined ? { speed: row.stored.spd } : {}),
      updatedAt: new Date(row.stored.at).toISOString(),
      ageSeconds: Math.max(0, Math.floor((now - row.stored.at) / 1000)),
      precisionMeters: row.exact ? 0 : this.settings.strangerPrecisionMeters,
    };
    const theirs = this.activeTokens(profile, now);
    const mine = context.profile ? this.activeTokens(context.profile, now) : [];
    return {
      user: this.summary(profile.user, now),
      distance: roundTenth(row.distance),
      angle: roundBearing(row.angle),
      isLive: true,
      sharedInterests: sharedInterests(mine, theirs),
      location,
    };
  }

  /** A vibe past its expiry no longer counts (auth's vibe.expired may not have reached us yet). */
  private activeTokens(profile: RadarProfile, now: number): string[] {
    return isVibeExpired(profile.user, now) ? [] : profile.tokens;
  }

  private summary(user: User, now: number): User {
    return isVibeExpired(user, now) ? { ...user, vibe: null, vibeExpiresAt: null } : user;
  }
}

function roundTo7(degrees: number): number {
  return Math.round(degrees * 1e7) / 1e7;
}

function isVibeExpired(user: User, now: number): boolean {
  return user.vibeExpiresAt !== null && Date.parse(user.vibeExpiresAt) <= now;
}
