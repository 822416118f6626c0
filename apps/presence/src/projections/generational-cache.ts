/**
 * An in-process LRU cache whose entries are valid only for the generation they were loaded at. The
 * current generation of each key lives in Redis (`presence:gen`) and comes back with every radar
 * script, so a replica trusts an entry exactly as long as nobody has changed the underlying projection
 * since — no broadcast, no race with a concurrent load (an entry loaded from an older snapshot carries an
 * older generation and is simply reloaded). A max age bounds the damage of a lost invalidation.
 */
/** Recency is refreshed at most this often per entry (a Map delete+set on every hit is measurable). */
const RECENCY_REFRESH_MS = 1000;

export class GenerationalCache<V> {
  private readonly entries = new Map<string, { generation: string; value: V; loadedAt: number; touchedAt: number }>();

  constructor(
    private readonly maxEntries: number,
    private readonly maxAgeMs: number,
  ) {}

  get(key: string, generation: string, nowMs: number): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.generation !== generation || nowMs - entry.loadedAt > this.maxAgeMs || nowMs < entry.loadedAt) {
      this.entries.delete(key);
      return undefined;
    }
    if (nowMs - entry.touchedAt >= RECENCY_REFRESH_MS) {
      entry.touchedAt = nowMs;
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry.value;
  }

  /** The cached value whatever its generation (for decisions that tolerate staleness). */
  peek(key: string): V | undefined {
    return this.entries.get(key)?.value;
  }

  set(key: string, generation: string, value: V, nowMs: number): void {
    this.entries.delete(key);
    this.entries.set(key, { generation, value, loadedAt: nowMs, touchedAt: nowMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
