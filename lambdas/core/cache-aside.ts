/**
 * Cache-aside (lazy loading): read the cache first; on a miss read the database and fill the cache
 * with a TTL; on a write update the database, then delete the cached entry (invalidate on write)
 * so that the next read loads the new value.
 *
 * A cache outage must not take reads down: when the cache is unavailable the read goes straight to
 * the database and says `cache: 'bypass'`; a write whose invalidation fails still succeeds and
 * reports `invalidated: false` (the stale entry, if the cache kept it, expires with its TTL).
 * The TTL also bounds the classic race where a slow reader refills the old value just after a
 * writer's delete. Missing records are not cached (no negative caching), so a record created
 * later is seen at once.
 *
 * @example
 * const profiles = new CacheAside({ cache, keyPrefix: 'profile:', ttlSeconds: 60, clock,
 *   load: (id) => repository.find(id) });
 * const { value, cache: outcome, elapsedMs } = await profiles.get('alice'); // outcome: 'hit' | 'miss' | 'bypass'
 */
import type { Clock } from './clock';
import { EngineUnavailableError } from './errors';

/** Port: a key-value cache with expiry (Redis / ElastiCache in production). */
export interface Cache {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  del(key: string): Promise<void>;
}

export type CacheOutcome = 'hit' | 'miss' | 'bypass';

export interface CachedRead<V> {
  /** undefined when the record does not exist. */
  readonly value: V | undefined;
  readonly cache: CacheOutcome;
  /** Time spent serving the read, cache and database included. */
  readonly elapsedMs: number;
}

export interface CachedWrite<R> {
  readonly value: R;
  /** false when the cache was unavailable: the old entry may be served until its TTL ends. */
  readonly invalidated: boolean;
}

export interface CacheAsideProps<V> {
  readonly cache: Cache;
  /** Prefix of every key, e.g. `profile:` for `profile:<id>`. */
  readonly keyPrefix: string;
  readonly ttlSeconds: number;
  /** Reads the record from the source of truth; undefined when it does not exist. */
  readonly load: (id: string) => Promise<V | undefined>;
  readonly clock: Clock;
  /**
   * Checks a cached value (JSON-parsed) before it is served: one that fails (a `null`, another
   * version's shape) is a miss and is overwritten, never a hit.
   * @default - any JSON value except null
   */
  readonly isValue?: (value: unknown) => value is V;
  /**
   * Called when the cache is unavailable (for logging); the request goes on without it. A call's own
   * `onCacheUnavailable` (the request's logger) takes its place.
   * @default - not reported
   */
  readonly onCacheUnavailable?: CacheOutageReport;
}

/** Told of a cache failure the request rode through. */
export type CacheOutageReport = (error: EngineUnavailableError) => void;

/** Marks a cache failure that the caller may ride through; anything else is a bug and propagates. */
async function tolerateOutage<T>(operation: () => Promise<T>, report?: CacheOutageReport) {
  try {
    return { ok: true as const, value: await operation() };
  } catch (error) {
    if (!(error instanceof EngineUnavailableError)) throw error;
    report?.(error);
    return { ok: false as const };
  }
}

export class CacheAside<V> {
  constructor(private readonly props: CacheAsideProps<V>) {}

  keyFor(id: string): string {
    return `${this.props.keyPrefix}${id}`;
  }

  /** Cache first, database on a miss (filling the cache), database alone when the cache is down. */
  async get(id: string, onCacheUnavailable = this.props.onCacheUnavailable): Promise<CachedRead<V>> {
    const { cache, clock, ttlSeconds, load } = this.props;
    const started = clock.now();
    const elapsed = () => Math.round((clock.now() - started) * 1000) / 1000;
    const key = this.keyFor(id);
    const cached = await tolerateOutage(() => cache.get(key), onCacheUnavailable);
    if (cached.ok && cached.value !== undefined) {
      const value = decode(cached.value, this.props.isValue ?? isNotNull<V>);
      if (value !== undefined) return { value, cache: 'hit', elapsedMs: elapsed() };
    }
    const value = await load(id);
    if (!cached.ok) return { value, cache: 'bypass', elapsedMs: elapsed() };
    if (value !== undefined) {
      await tolerateOutage(() => cache.set(key, JSON.stringify(value), ttlSeconds), onCacheUnavailable);
    }
    return { value, cache: 'miss', elapsedMs: elapsed() };
  }

  /** Writes through `write` (the database), then invalidates the entry. */
  async update<R>(id: string, write: () => Promise<R>, onCacheUnavailable = this.props.onCacheUnavailable): Promise<CachedWrite<R>> {
    const value = await write();
    const deleted = await tolerateOutage(() => this.props.cache.del(this.keyFor(id)), onCacheUnavailable);
    return { value, invalidated: deleted.ok };
  }
}

function isNotNull<V>(value: unknown): value is V {
  return value !== null;
}

/** A corrupt or invalid entry reads as a miss and is overwritten by the refill. */
function decode<V>(text: string, isValue: (value: unknown) => value is V): V | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  return isValue(parsed) ? parsed : undefined;
}
