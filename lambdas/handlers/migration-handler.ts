/**
 * Deploy-time migration step (a CDK trigger runs it after the database stack): reads the master
 * and app JSON secrets (`username`, `password`), applies the schema and creates/updates the app
 * role on a direct connection to the primary. It throws with the database's message on failure,
 * so that the deploy fails, not the first request. Only this function reads the master secret.
 */
import type { Context } from 'aws-lambda';
import { runMigrations, type MigrationReport } from '../adapters/pg-migrations';
import { createSecretResolver, type SecretResolver } from '../adapters/secrets';
import { readMigrationConfig, type Env, type SecretSource } from '../config/runtime-config';
import { logger, logLambdaContext } from '../http/logger';

async function login(secrets: SecretResolver, source: SecretSource): Promise<{ user: string; password: string }> {
  const [user, password] = await Promise.all([secrets.resolve(source, 'username'), secrets.resolve(source, 'password')]);
  return { user, password };
}

/**
 * Runs the migrations described by `env` (DB_PRIMARY_HOST/PORT, DB_NAME, DB_SSL,
 * DB_MASTER_SECRET_ARN, DB_APP_SECRET_ARN).
 *
 * @example
 * const report = await migrate(process.env, createSecretResolver()); // { applied: [...], appRole: 'patterns_app' }
 */
export async function migrate(env: Env, secrets: SecretResolver): Promise<MigrationReport> {
  const config = readMigrationConfig(env);
  const [master, appRole] = await Promise.all([login(secrets, config.masterSecret), login(secrets, config.appSecret)]);
  try {
    return await runMigrations({ ...config.primary, database: config.database, ssl: config.ssl, master, appRole });
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
