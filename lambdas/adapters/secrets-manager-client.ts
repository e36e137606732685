/**
 * The Secrets Manager half of `secrets.ts`, in its own module so that it is evaluated only when a
 * process first resolves a secret ARN: local runs and tests (plain values) never load the SDK client
 * nor Powertools Parameters, and on AWS they load during the cold start that needs them.
 */
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/**
 * A Powertools provider (its cache, its `GetSecretValue`); with no client it builds one for this
 * process's Region and credentials (`AWS_ENDPOINT_URL_SECRETS_MANAGER` is honoured by the SDK).
 */
export function createSecretsProvider(client?: SecretsManagerClient): SecretsProvider {
  return new SecretsProvider(client === undefined ? {} : { awsSdkV3Client: client });
}
