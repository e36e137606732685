/**
 * One failure policy for every Redis command (sessions and the cache alike): while the client
 * already knows it is disconnected, a command fails at once (503, `unreachable`) instead of waiting
 * in ioredis's offline queue for a reconnect and its retry limit; a connected but silent server is
 * bounded by the client's command timeout (`REDIS_COMMAND_TIMEOUT_MS`). So a Redis outage costs
 * every caller the same short, bounded wait, whichever pattern it serves.
 */
import { EngineUnavailableError } from '../core/errors';
import { guardEngine } from './engine-errors';

/** ioredis states in which a command could only wait. */
const DISCONNECTED = new Set(['reconnecting', 'close', 'end']);

/** The part of an ioredis client the guard looks at (tests may pass a plain fake without it). */
export interface RedisConnectionState {
  readonly status?: string;
}

export function guardRedis<T>(client: RedisConnectionState, operation: () => Promise<T>): Promise<T> {
  if (client.status !== undefined && DISCONNECTED.has(client.status)) {
    return Promise.reject(new EngineUnavailableError('redis', `connection is ${client.status}`, { kind: 'unreachable' }));
  }
  return guardEngine('redis', operation);
}
