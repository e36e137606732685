/**
 * Stateful sessions: kept in this instance's memory. Fast and simple, but correct only when the
 * load balancer keeps each client on the same instance (sticky routing), and every session is
 * lost with the instance. The cap protects the instance: memory grows with every user.
 */
import type { Clock } from '../core/clock';
import { EngineUnavailableError } from '../core/errors';
import {
  isSessionId,
  newSessionId,
  parseSessionRecord,
  type SavedSession,
  type SessionStore,
  type SessionStoreStats,
  type StoredSession,
} from '../core/sessions';

/**
 * Per-entry cost beyond the id and JSON characters (Map slot, entry object, string headers, spare
 * capacity V8 leaves in stringified JSON), fitted to heap deltas on Node 20: the estimate then lands
 * within about 25% of the real heap per session. The lab measures the real figure; this one is free.
 */
const ENTRY_OVERHEAD_BYTES = 160;

export interface MemorySessionStoreOptions {
  /** Most sessions this instance keeps at once (MEMORY_SESSION_LIMIT). */
  readonly limit: number;
  readonly clock: Clock;
}

/**
 * The instance is full. A new session is refused (503) rather than evicting the oldest one: evicting
 * would silently log out a user who is still active, while a 503 is visible, counted by the lab, and
 * lets the load balancer or client try another instance. Existing sessions keep working.
 */
export class SessionCapacityError extends EngineUnavailableError {
  constructor(held: number, limit: number) {
    super(
      'memory-session-store',
      `this instance holds ${held} session${held === 1 ? '' : 's'}, its limit is ${limit} (MEMORY_SESSION_LIMIT); ` +
        'new sessions are refused to protect its memory, existing sessions still work',
    );
  }
}

interface Entry {
  /** Serialized record: a copy that callers cannot mutate, and whose size is known. */
  readonly json: string;
  readonly expiresAt: number;
  readonly bytes: number;
}

/**
 * A Map of session id to serialized record with TTL expiry and a cap. Map order is the order of the
 * last save, and every save uses the service's one TTL, so expired entries are always at the front:
 * purging them costs only what has expired.
 *
 * @example
 * const store = new MemorySessionStore({ limit: 100_000, clock: systemClock });
 * store.stats(); // { sessions: 0, approxBytes: 0 }
 */
export class MemorySessionStore implements SessionStore {
  readonly strategy = 'memory' as const;
  private readonly entries = new Map<string, Entry>();
  private bytesHeld = 0;

  constructor(private readonly options: MemorySessionStoreOptions) {}

  async load(token: string | undefined): Promise<StoredSession | undefined> {
    if (!isSessionId(token)) return undefined;
    const entry = this.entries.get(token);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.options.clock.now()) {
      this.remove(token);
      return undefined;
    }
    const record = parseSessionRecord(JSON.parse(entry.json));
    return record === undefined ? undefined : { id: token, record };
  }

  async save(session: StoredSession, ttlSeconds: number): Promise<SavedSession> {
    this.purgeExpired();
    const id = session.id ?? newSessionId();
    if (!this.remove(id) && this.entries.size >= this.options.limit) {
      throw new SessionCapacityError(this.entries.size, this.options.limit);
    }
    const json = JSON.stringify(session.record);
    const bytes = id.length + json.length + ENTRY_OVERHEAD_BYTES;
    this.entries.set(id, { json, bytes, expiresAt: this.options.clock.now() + ttlSeconds * 1000 });
    this.bytesHeld += bytes;
    return { id, cookieValue: id };
  }

  async destroy(token: string | undefined): Promise<void> {
    if (isSessionId(token)) this.remove(token);
  }

  /** Live sessions and an estimate of their bytes; O(expired entries), so cheap to poll. */
  stats(): SessionStoreStats {
    this.purgeExpired();
    return { sessions: this.entries.size, approxBytes: this.bytesHeld };
  }

  private purgeExpired(): void {
    const now = this.options.clock.now();
    for (const [id, entry] of this.entries) {
      if (entry.expiresAt > now) break;
      this.remove(id);
    }
  }

  private remove(id: string): boolean {
    const entry = this.entries.get(id);
    if (entry === undefined) return false;
    this.entries.delete(id);
    this.bytesHeld -= entry.bytes;
    return true;
  }
}
