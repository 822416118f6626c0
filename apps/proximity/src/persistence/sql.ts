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

/**
 * Runs a hot statement as a named prepared statement on the transaction's connection: Postgres parses
 * and plans it once per connection instead of on every call. Outside a transaction it runs as usual.
 */
export async function queryPrepared<T extends object>(manager: EntityManager, name: string, text: string, params: unknown[]): Promise<T[]> {
  const runner = manager.queryRunner;
  if (!runner || runner.isReleased) return queryRows<T>(manager, text, params);
  const client = (await runner.connect()) as PoolClient;
  const result = await client.query<T>({ name, text, values: params });
  return result.rows;
}
