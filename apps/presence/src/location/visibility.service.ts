import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '@gisbi/platform';
import { LiveLocationStore, type RadarSnapshot } from '../store/live-location.store';

/**
 * Radar visibility: Postgres is the source of truth (survives restarts and a lost Redis), Redis holds the
 * copy the location scripts read atomically. A missing row means visible.
 */
@Injectable()
export class VisibilityService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly store: LiveLocationStore,
    private readonly clock: Clock,
  ) {}

  async isOnRadar(userId: string): Promise<boolean> {
    const cached = await this.store.cachedVisibility(userId);
    if (cached) return cached === '1';
    return this.loadIntoCache(userId);
  }

  /** Copies the persisted value into Redis unless a newer write got there first; returns what Redis holds. */
  async loadIntoCache(userId: string): Promise<boolean> {
    const rows: Array<{ is_on_radar: boolean }> = await this.dataSource.query(
      'SELECT is_on_radar FROM radar_visibility WHERE user_id = $1',
      [userId],
    );
    await this.store.primeVisibility(userId, rows[0]?.is_on_radar ?? true);
    return (await this.store.cachedVisibility(userId)) !== '0';
  }

  /**
   * Persists the choice and applies it to the indexes while holding the row lock, so two racing
   * commands end with Postgres and Redis agreeing on the last one.
   */
  async set(userId: string, socketId: string, isOnRadar: boolean, radarCount: number): Promise<RadarSnapshot> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO radar_visibility (user_id, is_on_radar, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (user_id) DO UPDATE SET is_on_radar = EXCLUDED.is_on_radar, updated_at = EXCLUDED.updated_at`,
        [userId, isOnRadar, this.clock.now()],
      );
      return this.store.setVisibility(userId, socketId, isOnRadar, radarCount);
    });
  }

  async forget(userId: string): Promise<void> {
    await this.dataSource.query('DELETE FROM radar_visibility WHERE user_id = $1', [userId]);
  }
}
