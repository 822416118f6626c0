import { monotonicFactory } from 'ulid';

const nextUlid = monotonicFactory();

/**
 * Prefixed, time-sortable IDs (`user_01J...`): the prefix tells what an ID names, the ULID body sorts by
 * creation time and is monotonic within a process, so ORDER BY id is creation order.
 */
export function newId(prefix: string, at: number = Date.now()): string {
  return `${prefix}_${nextUlid(at)}`;
}
