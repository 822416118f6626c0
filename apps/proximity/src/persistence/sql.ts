import type { PoolClient } from 'pg';
import type { EntityManager } from 'typeorm';

/**
 * Runs SQL and returns its rows. TypeORM's postgres driver answers UPDATE/DELETE with `[rows, count]`
 * and everything else with `rows`; callers always get the rows.
 */
export async function queryRows<T>(manager: EntityManager, text: string, params: unknown[] = []): Promise<T[]> {
  const result: unknown = await manager.query(text, params);
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
    return result[0] as T[];
  }
  return Array.isArray(result) ? (result as T[]) : [];
}

export async function queryOne<T>(manager: EntityManager, text: string, params: unknown[] = []): Promise<T | undefined> {
  return (await queryRows<T>(manager, text, params))[0];
}

/** bigint columns arrive as strings; our values (milliseconds) stay far below 2^53. */
export function toNumber(value: string | number | null | undefined): number {
  return value === null || value === undefined ? 0 : Number(value);
}

export function toMs(value: Date | null | undefined): number | null {
  return value ? value.getTime() : null;
}

export function toDate(ms: number | null): Date | null {
  return ms === null ? null : new Date(ms);
}

/** Where a hot statement runs: a TypeORM transaction's manager, or a client of the heartbeat pool. */
export type PreparedTarget = EntityManager | PoolClient;

/**
 * Runs a hot statement as a named prepared statement on one connection: Postgres parses and plans it once
 * per connection instead of on every call. An EntityManager outside a transaction runs it as usual.
 */
export async function queryPrepared<T extends object>(target: PreparedTarget, name: string, text: string, params: unknown[]): Promise<T[]> {
  if (!isEntityManager(target)) return (await target.query<T>({ name, text, values: params })).rows;
  const runner = target.queryRunner;
  if (!runner || runner.isReleased) return queryRows<T>(target, text, params);
  const client = (await runner.connect()) as PoolClient;
  const result = await client.query<T>({ name, text, values: params });
  return result.rows;
}

function isEntityManager(target: PreparedTarget): target is EntityManager {
  return 'connection' in target && 'transaction' in target;
}
