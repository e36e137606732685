/**
 * A local driver of Secrets Manager's single-user rotation of a PostgreSQL secret: the four steps
 * (createSecret, setSecret, testSecret, finishSecret) as AWS's rotation function template
 * (aws-samples/aws-secrets-manager-rotation-lambdas, SecretsManagerRDSPostgreSQLRotationSingleUser)
 * performs them, against the local secret store and a harness PostgreSQL:
 * - createSecret: a new random password in the AWSPENDING version (unless it already has one);
 * - setSecret: log in with the pending value (done if it works), else with the current one, else
 *   the previous one, at the secret's `host` and `port`, as the user itself, and ALTER USER its
 *   password (the same username and host only); from here the database refuses the old password;
 * - testSecret: log in with the pending value and run a query;
 * - finishSecret: move AWSCURRENT to the pending version (the old one becomes AWSPREVIOUS).
 * Secrets Manager runs each step as its own invocation; `pauseBetweenStepsMs` stands for that gap.
 * The password reaches the server as a SCRAM verifier (the template sends it in clear; the effect
 * on the role is the same, and no log shows it).
 *
 * @example
 * const report = await rotateSingleUser(store, arn, { pauseBetweenStepsMs: 200 });
 * report.steps.setSecret.startedAt; // when the database began refusing the old password
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { scramSha256Verifier } from '../lambdas/adapters/pg-app-role';
import { AWSCURRENT, AWSPENDING, AWSPREVIOUS, SecretNotFoundError, type LocalSecretStore } from './local-secret-store';

export const ROTATION_STEPS = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const;
export type RotationStep = (typeof ROTATION_STEPS)[number];

export interface RotationOptions {
  /** Gap between two steps (Secrets Manager invokes the function once per step). @default 0 */
  readonly pauseBetweenStepsMs?: number;
  /** Characters the new password leaves out (the template's EXCLUDE_CHARACTERS). @default the RDS set */
  readonly excludeCharacters?: string;
  /** Called after each step completes (e.g. a proxy that re-reads the secret after finishSecret). */
  readonly afterStep?: (step: RotationStep) => Promise<void>;
}

export interface RotationReport {
  readonly versionId: string;
  /** performance.now() when each step started and ended. */
  readonly steps: Record<RotationStep, { readonly startedAt: number; readonly endedAt: number }>;
}

/** The fields of an RDS PostgreSQL secret the template reads. */
interface DatabaseSecret {
  readonly host: string;
  readonly port?: number | string;
  readonly username: string;
  readonly password: string;
  readonly dbname?: string;
}

const RDS_EXCLUDE_CHARACTERS = " %+~`#$&*()|[]{}:;<>?!'/@\"\\";

/** Runs one rotation of `arn`, step by step, as Secrets Manager and the template would. */
export async function rotateSingleUser(store: LocalSecretStore, arn: string, options: RotationOptions = {}): Promise<RotationReport> {
  const token = store.openRotation(arn);
  const steps = {} as Record<RotationStep, { startedAt: number; endedAt: number }>;
  const work: Record<RotationStep, () => Promise<void>> = {
    createSecret: async () => createSecret(store, arn, token, options.excludeCharacters ?? RDS_EXCLUDE_CHARACTERS),
    setSecret: () => setSecret(store, arn, token),
    testSecret: () => testSecret(store, arn, token),
    finishSecret: async () => store.moveStage(arn, AWSCURRENT, token),
  };
  for (const [index, step] of ROTATION_STEPS.entries()) {
    if (index > 0 && (options.pauseBetweenStepsMs ?? 0) > 0) await sleep(options.pauseBetweenStepsMs ?? 0);
    const startedAt = performance.now();
    await work[step]();
    steps[step] = { startedAt, endedAt: performance.now() };
    await options.afterStep?.(step);
  }
  return { versionId: token, steps };
}

function secretOf(store: LocalSecretStore, arn: string, stage: string, versionId?: string): DatabaseSecret | undefined {
  try {
    return store.get(arn, stage, versionId) as unknown as DatabaseSecret;
  } catch (error) {
    if (error instanceof SecretNotFoundError) return undefined;
    throw error;
  }
}

function createSecret(store: LocalSecretStore, arn: string, token: string, exclude: string): void {
  const current = store.get(arn, AWSCURRENT);
  if (secretOf(store, arn, AWSPENDING, token) !== undefined) return;
  store.put(arn, token, { ...current, password: store.randomPassword(exclude) }, [AWSPENDING]);
}

async function setSecret(store: LocalSecretStore, arn: string, token: string): Promise<void> {
  const pending = secretOf(store, arn, AWSPENDING, token);
  if (pending === undefined) throw new Error(`setSecret: no AWSPENDING value in version ${token} of ${arn}`);
  const alreadySet = await login(pending);
  if (alreadySet !== undefined) {
    await alreadySet.end();
    return;
  }
  for (const stage of [AWSCURRENT, AWSPREVIOUS]) {
    const known = secretOf(store, arn, stage);
    if (known === undefined) continue;
    if (known.username !== pending.username || known.host !== pending.host) {
      throw new Error(`setSecret: the ${stage} secret names ${known.username}@${known.host}, the pending one ${pending.username}@${pending.host}`);
    }
    const client = await login(known);
    if (client === undefined) continue;
    try {
      const verifier = scramSha256Verifier(pending.password);
      await client.query(`ALTER USER ${client.escapeIdentifier(pending.username)} WITH PASSWORD ${client.escapeLiteral(verifier)}`);
      return;
    } finally {
      await client.end();
    }
  }
  throw new Error(`setSecret: unable to log into the database with the previous, current, or pending secret of ${arn}`);
}

async function testSecret(store: LocalSecretStore, arn: string, token: string): Promise<void> {
  const pending = secretOf(store, arn, AWSPENDING, token);
  const client = pending === undefined ? undefined : await login(pending);
  if (client === undefined) throw new Error(`testSecret: unable to log into the database with the pending secret of ${arn}`);
  try {
    await client.query('SELECT now()');
  } finally {
    await client.end();
  }
}

/** A connection as the secret's user at the secret's host, or undefined when the login fails (as the template's get_connection). */
async function login(secret: DatabaseSecret): Promise<Client | undefined> {
  const client = new Client({
    host: secret.host,
    port: Number(secret.port ?? 5432),
    user: secret.username,
    password: secret.password,
    database: secret.dbname ?? 'postgres',
    connectionTimeoutMillis: 5000,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return client;
  } catch {
    await client.end().catch(() => undefined);
    return undefined;
  }
}
