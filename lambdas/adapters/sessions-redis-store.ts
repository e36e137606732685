/**
 * Stateless replication with a shared store: sessions live in Redis (ElastiCache Valkey on AWS)
 * under `session:<id>`, so any instance can serve any request and losing an instance loses no
 * session. The price is one round trip to Redis per request, and Redis becomes a dependency:
 * when it is down, requests get a 503 (EngineUnavailable) as quickly as the cache gives up on it
 * (one policy for both: `guardRedis`), instead of hanging.
 */
import type Redis from 'ioredis';
import {
  isSessionId,
  newSessionId,
  parseSessionRecord,
  type SavedSession,
  type SessionStore,
  type StoredSession,
} from '../core/sessions';
import { guardRedis, type RedisConnectionState } from './redis-guard';

/** The three commands this store needs (and the connection state); a real ioredis client satisfies it. */
export type RedisSessionClient = Pick<Redis, 'get' | 'set' | 'del'> & RedisConnectionState;

export interface RedisSessionStoreOptions {
  /** Built once per cold start with bounded timeouts (`SharedClients.redis()`). */
  readonly client: RedisSessionClient;
  /**
   * Prefix of the Redis keys.
   * @default 'session:'
   */
  readonly keyPrefix?: string;
}

/**
 * Keeps each session as one JSON string with an `EX` TTL that every save renews (sliding expiry).
 * A value that is not a valid session (for example written by another version) counts as no session.
 * Two concurrent requests of one session are last-writer-wins (GET then SET), as in most session
 * stores: a browser rarely races itself, and WATCH/MULTI would double the round trips.
 *
 * @example
 * const store = new RedisSessionStore({ client: await sharedRedis(clients) });
 */
export class RedisSessionStore implements SessionStore {
  readonly strategy = 'redis' as const;
  private readonly keyPrefix: string;

  constructor(private readonly options: RedisSessionStoreOptions) {
    this.keyPrefix = options.keyPrefix ?? 'session:';
  }

  async load(token: string | undefined): Promise<StoredSession | undefined> {
    if (!isSessionId(token)) return undefined;
    const text = await guardRedis(this.options.client, () => this.options.client.get(this.key(token)));
    if (text === null) return undefined;
    const record = parseSessionRecord(parseJson(text));
    return record === undefined ? undefined : { id: token, record };
  }

  async save(session: StoredSession, ttlSeconds: number): Promise<SavedSession> {
    const id = session.id ?? newSessionId();
    const json = JSON.stringify(session.record);
    await guardRedis(this.options.client, () => this.options.client.set(this.key(id), json, 'EX', ttlSeconds));
    return { id, cookieValue: id };
  }

  async destroy(token: string | undefined): Promise<void> {
    if (!isSessionId(token)) return;
    await guardRedis(this.options.client, () => this.options.client.del(this.key(token)));
  }

  private key(id: string): string {
    return `${this.keyPrefix}${id}`;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
