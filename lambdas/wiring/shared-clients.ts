/**
 * Clients shared by the patterns of one process, each built lazily on first use and only once:
 * a Lambda handler builds the one or two it needs, the container server shares them across all
 * routes. `close()` ends every client that was built (container shutdown, tests).
 *
 * This module imports no driver. Each client is described by a `SharedClientSpec` in its own
 * module (`shared-redis.ts`, `shared-database.ts`) and a pattern's wiring imports only the ones it
 * uses, so a handler's bundle carries only its pattern's drivers: the multi-master bundle has
 * neither ioredis nor pg, the PostgreSQL patterns have no ioredis.
 */
import type { RuntimeConfig, SectionName } from '../config/runtime-sections';
import { createSecretResolver, type SecretResolver } from '../adapters/secrets';
import { once } from '../core/once';

/** How to build one kind of shared client from the configuration, and how to end it. */
export interface SharedClientSpec<T> {
  /** What the client is, for readers and logs (the spec object itself is the key). */
  readonly name: string;
  /** The sections the client is built from: `configured` checks them before the first use. */
  readonly sections: readonly SectionName[];
  build(config: RuntimeConfig, secrets: SecretResolver): Promise<T>;
  close(client: T): Promise<unknown>;
}

export interface SharedClients {
  /** The process's configuration, parsed once by the host. */
  readonly config: RuntimeConfig;
  readonly secrets: SecretResolver;
  /** The client `spec` describes: built on the first call, shared by every later one; a failed build is retried by the next call. */
  use<T>(spec: SharedClientSpec<T>): Promise<T>;
  /**
   * The client for later use: its sections are checked now (their ConfigurationError is thrown
   * here, so that a misconfiguration fails the wiring, not a request), the client built on first use.
   */
  configured<T>(spec: SharedClientSpec<T>): () => Promise<T>;
  close(): Promise<void>;
}

/**
 * The clients of one process (no I/O here: each client connects when first used).
 *
 * @example
 * const clients = createSharedClients(readRuntimeConfig(process.env));
 * const redis = await sharedRedis(clients); // built now, shared from now on
 * await clients.close();
 */
export function createSharedClients(config: RuntimeConfig, secrets: SecretResolver = createSecretResolver()): SharedClients {
  const closers: Array<() => Promise<unknown>> = [];
  const builders = new Map<SharedClientSpec<unknown>, () => Promise<unknown>>();
  const clients: SharedClients = {
    config,
    secrets,
    use<T>(spec: SharedClientSpec<T>): Promise<T> {
      let get = builders.get(spec as SharedClientSpec<unknown>);
      if (get === undefined) {
        get = once(async () => {
          const client = await spec.build(config, secrets);
          closers.push(() => spec.close(client));
          return client;
        });
        builders.set(spec as SharedClientSpec<unknown>, get);
      }
      return get() as Promise<T>;
    },
    configured<T>(spec: SharedClientSpec<T>): () => Promise<T> {
      for (const section of spec.sections) config.section(section);
      return () => clients.use(spec);
    },
    async close() {
      await Promise.allSettled(closers.splice(0).map((close) => close()));
    },
  };
  return clients;
}
