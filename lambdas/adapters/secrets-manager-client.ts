/**
 * The Secrets Manager half of `secrets.ts`, in its own module so that it is evaluated only when a
 * process first resolves a secret ARN: local runs and tests (plain values) never load the SDK client,
 * and on AWS it loads during the cold start that needs it.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** A client for this process's Region and credentials (`AWS_ENDPOINT_URL_SECRETS_MANAGER` is honoured by the SDK). */
export function createSecretsManagerClient(): SecretsManagerClient {
  return new SecretsManagerClient({});
}

/** The secret's string value; a binary-only secret is an error. */
export async function getSecretString(client: SecretsManagerClient, arn: string): Promise<string> {
  const out = await client.send(new GetSecretValueCommand({ SecretId: arn }));
  if (out.SecretString === undefined) throw new Error(`secret ${arn} has no SecretString`);
  return out.SecretString;
}
