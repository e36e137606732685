/**
 * Deploy-time migration step (a CDK trigger runs it after the database stack): reads the master
 * and app JSON secrets (`username`, `password`), applies the schema and creates/updates the app
 * role on a direct connection to the primary. It throws with the database's message on failure,
 * so that the deploy fails, not the first request. Only this function reads the master secret.
 *
 * A refused master login (28P01) is retried once, after a pause and a fresh read of both secrets:
 * the master secret may be in the middle of a rotation (the database already has the new password,
 * the secret not yet), which lasts seconds. The stack also orders the master secret's rotation
 * schedule after this trigger, so a new stack's first rotation cannot meet it.
 */
import type { Context } from 'aws-lambda';
import { runMigrations, type MigrationReport } from '../adapters/pg-migrations';
import { isRefusedLogin } from '../adapters/pg-pools';
import { createSecretResolver, type SecretResolver } from '../adapters/secrets';
import { readMigrationConfig, type Env, type SecretSource } from '../config/runtime-config';
import type { Sleep } from '../core/clock';
import { retryRefusedLogin } from '../core/refused-login-retry';
import { logger, logLambdaContext } from '../observability/logger';

/** One retry, after about the time a rotation takes from setSecret to finishSecret. */
export const MIGRATION_REFUSED_LOGIN_PAUSES_MS: readonly number[] = [2000];

export interface MigrateOptions {
  /** @default a real timer */
  readonly sleep?: Sleep;
}

async function login(secrets: SecretResolver, source: SecretSource, forceFetch: boolean): Promise<{ user: string; password: string }> {
  const [user, password] = await Promise.all([
    secrets.resolve(source, 'username', { forceFetch }),
    secrets.resolve(source, 'password', { forceFetch }),
  ]);
  return { user, password };
}

/**
 * Runs the migrations described by `env` (DB_PRIMARY_HOST/PORT, DB_NAME, DB_SSL,
 * DB_MASTER_SECRET_ARN, DB_APP_SECRET_ARN).
 *
 * @example
 * const report = await migrate(process.env, createSecretResolver()); // { applied: [...], appRole: 'patterns_app' }
 */
export async function migrate(env: Env, secrets: SecretResolver, options: MigrateOptions = {}): Promise<MigrationReport> {
  const config = readMigrationConfig(env);
  const read = (forceFetch: boolean) =>
    Promise.all([login(secrets, config.masterSecret, forceFetch), login(secrets, config.appSecret, forceFetch)]);
  let [master, appRole] = await read(false);
  try {
    return await retryRefusedLogin(
      () => runMigrations({ ...config.primary, database: config.database, ssl: config.ssl, master, appRole }),
      {
        isRefusedLogin,
        pausesMs: MIGRATION_REFUSED_LOGIN_PAUSES_MS,
        sleep: options.sleep,
        refresh: async () => {
          [master, appRole] = await read(true);
        },
      },
    );
  } catch (error) {
    const { message, code } = error as { message?: string; code?: string };
    throw new Error(`migration failed: ${message ?? String(error)}${code === undefined ? '' : ` (SQLSTATE ${code})`}`, { cause: error });
  }
}

/** Lambda entry point; the event is ignored (the trigger passes its own). */
export async function handler(_event?: unknown, context?: Context): Promise<MigrationReport> {
  logLambdaContext(context);
  const report = await migrate(process.env, createSecretResolver());
  logger.info('migrations applied', { ...report });
  return report;
}
