/**
 * Resolves secrets: from Secrets Manager on AWS (optionally one JSON field of an RDS-style secret)
 * through Powertools Parameters' `SecretsProvider`, or from a plain value in local runs.
 * The provider caches each secret for `SECRET_MAX_AGE_SECONDS` and never caches a failed fetch;
 * a caller that learns the value is stale (PostgreSQL rejected the login after a rotation) asks
 * for `forceFetch`. The SDK client is loaded on the first ARN to resolve (see `secrets-manager-client.ts`).
 */
import type { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SecretSource } from '../config/runtime-config';
import { guardEngine } from './engine-errors';

/**
 * How long a fetched secret is reused. Rotation is detected by the login that fails (and then
 * force-fetched), so this only bounds how stale a value can be for a reader that cannot tell:
 * one `GetSecretValue` per secret per environment every five minutes.
 */
export const SECRET_MAX_AGE_SECONDS = 300;

export interface ResolveOptions {
  /** Bypass the cache (the value just proved stale); the fresh value is cached. @default false */
  readonly forceFetch?: boolean;
}

export interface SecretResolver {
  resolve(source: SecretSource, jsonField?: string, options?: ResolveOptions): Promise<string>;
}

export interface SecretResolverOptions {
  /** Inject a client (tests, custom endpoint); by default the provider builds one on first use. */
  readonly client?: SecretsManagerClient;
}

/** Powertools wraps the SDK's error (`GetParameterError`); the engine taxonomy sorts the SDK's own. */
function unwrapProviderError(error: unknown): unknown {
  const cause = (error as { name?: unknown; cause?: unknown }).cause;
  return (error as { name?: unknown }).name === 'GetParameterError' && cause !== undefined ? cause : error;
}

/**
 * A resolver with its own provider, hence its own per-process cache.
 *
 * @example
 * const secrets = createSecretResolver();
 * const password = await secrets.resolve({ kind: 'secretsManager', arn }, 'password');
 * const rotated = await secrets.resolve({ kind: 'secretsManager', arn }, 'password', { forceFetch: true });
 */
export function createSecretResolver(options: SecretResolverOptions = {}): SecretResolver {
  let provider: SecretsProvider | undefined;
  const getProvider = (): SecretsProvider => {
    // Evaluated here, not at module load: a process with plain values never loads the SDK client.
    const sm = require('./secrets-manager-client') as typeof import('./secrets-manager-client');
    return (provider ??= sm.createSecretsProvider(options.client));
  };
  const fetchSecret = <T>(arn: string, transform: 'json' | undefined, forceFetch: boolean): Promise<T> =>
    guardEngine('secretsmanager', async () => {
      try {
        const value = transform === 'json'
          ? await getProvider().get(arn, { maxAge: SECRET_MAX_AGE_SECONDS, forceFetch, transform: 'json' })
          : await getProvider().get(arn, { maxAge: SECRET_MAX_AGE_SECONDS, forceFetch });
        if (value === undefined) throw new Error(`secret ${arn} has no SecretString`);
        return value as T;
      } catch (error) {
        throw unwrapProviderError(error);
      }
    });

  return {
    async resolve(source, jsonField, { forceFetch = false } = {}) {
      if (source.kind === 'value') return source.value;
      const field = jsonField ?? source.jsonField;
      if (field === undefined) {
        const text = await fetchSecret<unknown>(source.arn, undefined, forceFetch);
        if (typeof text !== 'string') throw new Error(`secret ${source.arn} has no SecretString`);
        return text;
      }
      const parsed = await fetchSecret<Record<string, unknown>>(source.arn, 'json', forceFetch);
      const value = parsed[field];
      if (typeof value !== 'string') throw new Error(`secret ${source.arn} has no string field '${field}'`);
      return value;
    },
  };
}
