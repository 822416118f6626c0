import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import type { GiftHistoryPayload } from '@gisbi/contracts';
import { GIFTS_ENV, type GiftsEnv } from '../config/gifts-config';
import { RewardPresenter } from '../rewards/reward-presenter';
import { SponsoredGiftEntity } from '../rewards/sponsored-gift.entity';
import { HistoryCursorCodec, type HistoryPosition } from './history-cursor';

export const DEFAULT_HISTORY_LIMIT = 20;

/**
 * A user's rewards from either side of the pair, newest first, paged by keyset on (created_at, id): rows
 * sharing a timestamp are ordered by id, so a page boundary never skips or repeats one. Each side is read
 * through its own index and the two are merged.
 */
@Injectable()
export class HistoryService {
  private readonly cursors: HistoryCursorCodec;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly presenter: RewardPresenter,
    @Inject(GIFTS_ENV) env: GiftsEnv,
  ) {
    this.cursors = new HistoryCursorCodec(env.GIFTS_CURSOR_SECRET);
  }

  async page(userId: string, limit = DEFAULT_HISTORY_LIMIT, cursor?: string): Promise<GiftHistoryPayload> {
    const after = cursor === undefined ? null : this.cursors.decode(userId, cursor);
    const rows = await this.pageIds(userId, limit + 1, after);
    const pageRows = rows.slice(0, limit);
    const byId = new Map(
      (pageRows.length === 0
        ? []
        : await this.dataSource.manager.findBy(SponsoredGiftEntity, { id: In(pageRows.map((row) => row.id)) })
      ).map((gift) => [gift.id, gift]),
    );
    const gifts = pageRows.map((row) => byId.get(row.id)).filter((gift): gift is SponsoredGiftEntity => !!gift);
    const last = gifts.at(-1);
    return {
      limit,
      nextCursor: rows.length > limit && last ? this.cursors.encode(userId, { createdAt: last.createdAt, id: last.id }) : null,
      sponsoredGifts: await this.presenter.forViewer(userId, gifts),
    };
  }

  private async pageIds(userId: string, take: number, after: HistoryPosition | null): Promise<Array<{ id: string }>> {
    const keyset = after === null ? '' : 'AND (created_at, id) < ($3, $4)';
    const params: unknown[] = after === null ? [userId, take] : [userId, take, after.createdAt, after.id];
    return this.dataSource.query(
      `SELECT id, created_at FROM (
         (SELECT id, created_at FROM sponsored_gifts WHERE user_a_id = $1 ${keyset}
           ORDER BY created_at DESC, id DESC LIMIT $2)
         UNION ALL
         (SELECT id, created_at FROM sponsored_gifts WHERE user_b_id = $1 ${keyset}
           ORDER BY created_at DESC, id DESC LIMIT $2)
       ) AS mine
       ORDER BY created_at DESC, id DESC
       LIMIT $2`,
      params,
    );
  }
}
