/**
 * The runtime configuration of one process, parsed once: the host (a Lambda handler, the container
 * server) reads the environment here at start and hands the typed sections to the wiring, which
 * never sees the environment. A section with problems keeps its ConfigurationError, thrown when a
 * pattern asks for that section: a pattern without its configuration answers 503 (see
 * `pattern-routes.ts`) while the others work.
 *
 * @example
 * const config = readRuntimeConfig(process.env);
 * const { ttlSeconds } = config.section('cache'); // the parsed section, or its ConfigurationError
 */
import { ConfigurationError, type Env } from './env-section';
import {
  type CacheConfig,
  type CounterConfig,
  type DatabaseConfig,
  type GlobalTableConfig,
  type HttpConfig,
  type IdentityConfig,
  readCacheConfig,
  readCounterConfig,
  readDatabaseConfig,
  readGlobalTableConfig,
  readHttpConfig,
  readIdentityConfig,
  readRedisConfig,
  readServerConfig,
  readSessionConfig,
  type RedisConfig,
  type ServerConfig,
  type SessionConfig,
} from './runtime-config';

/** Every section of the runtime configuration, by name. */
export interface RuntimeSections {
  readonly identity: IdentityConfig;
  readonly server: ServerConfig;
  readonly http: HttpConfig;
  readonly session: SessionConfig;
  readonly redis: RedisConfig;
  readonly database: DatabaseConfig;
  readonly cache: CacheConfig;
  readonly counter: CounterConfig;
  readonly globalTable: GlobalTableConfig;
}

export type SectionName = keyof RuntimeSections;

const SECTION_READERS: { readonly [K in SectionName]: (env: Env) => RuntimeSections[K] } = {
  identity: readIdentityConfig,
  server: readServerConfig,
  http: readHttpConfig,
  session: readSessionConfig,
  redis: readRedisConfig,
  database: readDatabaseConfig,
  cache: readCacheConfig,
  counter: readCounterConfig,
  globalTable: readGlobalTableConfig,
};

type Parsed<T> = { readonly value: T } | { readonly error: ConfigurationError };

/** The parsed sections of one process. */
export class RuntimeConfig {
  private constructor(private readonly parsed: { readonly [K in SectionName]: Parsed<RuntimeSections[K]> }) {}

  /** Parses every section of `env` now, once; a section's problems are kept for whoever asks for it. */
  static fromEnv(env: Env): RuntimeConfig {
    const parsed = Object.fromEntries(
      (Object.keys(SECTION_READERS) as SectionName[]).map((name) => {
        try {
          return [name, { value: SECTION_READERS[name](env) }];
        } catch (error) {
          if (!(error instanceof ConfigurationError)) throw error;
          return [name, { error }];
        }
      }),
    );
    return new RuntimeConfig(parsed as { readonly [K in SectionName]: Parsed<RuntimeSections[K]> });
  }

  /** The section, or its ConfigurationError (every problem of that section). */
  section<K extends SectionName>(name: K): RuntimeSections[K] {
    const parsed: Parsed<RuntimeSections[K]> = this.parsed[name];
    if ('error' in parsed) throw parsed.error;
    return parsed.value;
  }
}

/** `RuntimeConfig.fromEnv`: the one parse of a process's environment. */
export function readRuntimeConfig(env: Env): RuntimeConfig {
  return RuntimeConfig.fromEnv(env);
}
