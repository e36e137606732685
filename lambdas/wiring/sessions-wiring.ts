/**
 * Assembles the sessions pattern from configuration: the one way both hosts (Lambda handler,
 * container server) build it.
 */
import { ConfigurationError, type SessionConfig } from '../config/runtime-config';
import { ENV } from '../config/env-names';
import { systemClock, type Clock } from '../core/clock';
import type { InstanceIdentity } from '../core/reverse-proxy-identity';
import { SessionService, type SessionStore } from '../core/sessions';
import { CookieSessionStore } from '../adapters/sessions-cookie-store';
import { MemorySessionStore } from '../adapters/sessions-memory-store';
import { RedisSessionStore } from '../adapters/sessions-redis-store';
import type { RegisterRoutes } from '../http/app';
import { sessionRoutes } from '../http/sessions-routes';
import type { SharedClients } from './shared-clients';
import { sharedRedis } from './shared-redis';

export interface SessionWiringOptions {
  /** @default systemClock */
  readonly clock?: Clock;
}

/**
 * Builds the session routes with the strategy named by `SESSION_STORE` (memory, redis or cookie).
 * The identity is needed because every session records the instances that served it.
 *
 * @example
 * const routes = await buildSessionRoutes(createSharedClients(readRuntimeConfig(process.env)), identity);
 * createPatternApp(identity, [routes]);
 */
export async function buildSessionRoutes(
  clients: SharedClients,
  identity: InstanceIdentity,
  options: SessionWiringOptions = {},
): Promise<RegisterRoutes> {
  const clock = options.clock ?? systemClock;
  const config = clients.config.section('session');
  const http = clients.config.section('http');
  const store = await createSessionStore(config, clients, clock);
  const service = new SessionService({
    store,
    clock,
    instanceId: identity.instanceId,
    cookieName: config.cookieName,
    ttlSeconds: config.ttlSeconds,
  });
  return sessionRoutes({
    service,
    instanceId: identity.instanceId,
    stats: store.stats?.bind(store),
    forwardedProtoHeader: http.forwardedProtoHeader,
    labRoutes: http.labMode,
  });
}

async function createSessionStore(config: SessionConfig, clients: SharedClients, clock: Clock): Promise<SessionStore> {
  switch (config.store) {
    case 'memory':
      return new MemorySessionStore({ limit: config.memorySessionLimit, clock });
    case 'redis':
      return new RedisSessionStore({ client: await sharedRedis(clients) });
    case 'cookie': {
      const source = config.signingKey;
      // readSessionConfig already insists on a key source for this strategy; this only narrows the type.
      if (source === undefined) throw new ConfigurationError([`${ENV.sessionStore}=cookie needs a signing key`]);
      const key = await clients.secrets.resolve(source);
      const where = source.kind === 'value' ? ENV.sessionSigningKey : ENV.sessionSigningKeySecretArn;
      try {
        return new CookieSessionStore({ signingKeys: [key], clock });
      } catch (error) {
        // The message gives the key's length, never the key.
        throw new ConfigurationError([`${where}: ${(error as Error).message}`]);
      }
    }
  }
}
