/**
 * Resolves secrets once per cold start: from Secrets Manager on AWS (optionally one JSON field of
 * an RDS-style secret), or from a plain value in local runs. Values are cached per process.
 * The SDK client is loaded on the first ARN to resolve (see `secrets-manager-client.ts`).
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SecretSource } from '../config/runtime-config';
import { guardEngine } from './engine-errors';

export interface SecretResolver {
  resolve(source: SecretSource, jsonField?: string): Promise<string>;
}

export interface SecretResolverOptions {
  /** Inject a client (tests, custom endpoint); by default one is built on first use. */
  readonly client?: SecretsManagerClient;
}

/**
 * A resolver with its own per-process cache (a failed fetch is not cached).
 *
 * @example
 * const secrets = createSecretResolver();
 * const password = await secrets.resolve({ kind: 'secretsManager', arn }, 'password');
 */
export function createSecretResolver(options: SecretResolverOptions = {}): SecretResolver {
  let client = options.client;
  const cache = new Map<string, Promise<string>>();

  const fetchSecretString = (arn: string): Promise<string> => {
    let pending = cache.get(arn);
    if (!pending) {
      // Evaluated here, not at module load: a process with plain values never loads the SDK client.
      const sm = require('./secrets-manager-client') as typeof import('./secrets-manager-client');
      const resolvedClient = (client ??= sm.createSecretsManagerClient());
      pending = guardEngine('secretsmanager', () => sm.getSecretString(resolvedClient, arn));
      // Do not cache a failure: the next cold path retries.
      pending.catch(() => cache.delete(arn));
      cache.set(arn, pending);
    }
    return pending;
  };

  return {
    async resolve(source, jsonField) {
      if (source.kind === 'value') return source.value;
      const text = await fetchSecretString(source.arn);
      const field = jsonField ?? source.jsonField;
      if (field === undefined) return text;
      const parsed = JSON.parse(text) as Record<string, unknown>;
      const value = parsed[field];
      if (typeof value !== 'string') throw new Error(`secret ${source.arn} has no string field '${field}'`);
      return value;
    },
  };
}
