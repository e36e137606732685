/**
 * Operator CLI for the failover operations, the same core as the ops Lambda.
 *
 *   npx tsx scripts/failover.ts describe|promote <replica-id>|reboot-failover
 *       [--region r] [--endpoint url] [--wait] [--timeout seconds] [--interval seconds]
 *
 * The instances come from RDS_PRIMARY_INSTANCE_ID and RDS_REPLICA_INSTANCE_IDS (comma-separated),
 * the region from --region or AWS_REGION, credentials from the usual AWS SDK chain.
 * Exit codes: 0 done, 1 the operation failed or was refused, 2 usage or configuration error.
 */
import { parseArgs } from 'node:util';
import { ENV } from '../lambdas/config/env-names';
import { ConfigurationError, type Env, type RdsOperationsConfig, readRdsOperationsConfig } from '../lambdas/config/runtime-config';
import { PatternError } from '../lambdas/core/errors';
import {
  runFailoverAction,
  type DbInstanceState,
  type FailoverAction,
  type FailoverActionResult,
  type FailoverOperations,
  type OperationOptions,
} from '../lambdas/core/failover-operations';
import {
  buildFailoverOperations,
  type BuildFailoverOperationsOptions,
} from '../lambdas/wiring/failover-operations-wiring';

export const USAGE = `Usage: npx tsx scripts/failover.ts <command> [options]

Commands:
  describe                 show the primary and its read replicas
  promote <replica-id>     promote a read replica to a standalone instance (asynchronous failover)
  reboot-failover          reboot the Multi-AZ primary with failover to its standby (synchronous failover)

Options:
  --region <region>        AWS region (default: AWS_REGION)
  --endpoint <url>         RDS API endpoint, e.g. http://127.0.0.1:5000 for moto (default: AWS_ENDPOINT_URL_RDS or AWS)
  --wait                   wait until the instance is available again (promote, reboot-failover)
  --timeout <seconds>      longest wait (default 1800)
  --interval <seconds>     pause between status checks while waiting (default 15)

Environment: RDS_PRIMARY_INSTANCE_ID, RDS_REPLICA_INSTANCE_IDS (comma-separated), AWS_REGION.`;

export interface CliIo {
  readonly env: Env;
  /** The result. */
  readonly out: (line: string) => void;
  /** Progress and errors. */
  readonly err: (line: string) => void;
  /** Builds the operations; tests inject options (endpoint, sleep) here. */
  readonly build?: (config: RdsOperationsConfig, options: BuildFailoverOperationsOptions) => FailoverOperations;
}

class UsageError extends Error {}

interface Command {
  readonly request: FailoverAction;
  readonly region?: string;
  readonly endpoint?: string;
  readonly options: OperationOptions;
}

function seconds(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    throw new UsageError(`--${name} must be a positive number of seconds, got ${JSON.stringify(text)}`);
  }
  return value;
}

function parseCommand(argv: readonly string[], err: (line: string) => void): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        region: { type: 'string' },
        endpoint: { type: 'string' },
        wait: { type: 'boolean', default: false },
        timeout: { type: 'string' },
        interval: { type: 'string' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const [name, ...rest] = positionals;
  const expectArgs = (count: number): void => {
    if (rest.length === count) return;
    throw new UsageError(`'${name}' takes ${count === 0 ? 'no argument' : `${count} argument`}, got ${rest.length}`);
  };
  if (!values.wait && (values.timeout !== undefined || values.interval !== undefined)) {
    throw new UsageError('--timeout and --interval only apply with --wait');
  }
  let request: FailoverAction;
  if (name === 'describe' || name === 'reboot-failover') {
    expectArgs(0);
    request = { action: name };
  } else if (name === 'promote') {
    expectArgs(1);
    request = { action: 'promote', replicaId: rest[0] };
  } else {
    throw new UsageError(name === undefined ? 'a command is required' : `unknown command '${name}'`);
  }
  const options: OperationOptions = values.wait
    ? {
        waitUntilAvailable: {
          timeoutMs: seconds('timeout', values.timeout, 1800) * 1000,
          intervalMs: seconds('interval', values.interval, 15) * 1000,
          onProgress: (p) =>
            err(
              `  ${Math.round(p.elapsedMs / 1000)} s: ${p.instanceId} is ${p.status}` +
                (p.replicaSourceId === undefined ? '' : `, replica of ${p.replicaSourceId}`),
            ),
        },
      }
    : {};
  return { request, region: values.region, endpoint: values.endpoint, options };
}

function describeInstance(role: string, i: DbInstanceState): string {
  const standby = i.secondaryAvailabilityZone ? `, standby in ${i.secondaryAvailabilityZone}` : '';
  const az = i.multiAz ? `Multi-AZ (${i.availabilityZone ?? '?'}${standby})` : `single-AZ (${i.availabilityZone ?? '?'})`;
  const parts = [`${role.padEnd(8)}${i.id}`, i.status, az];
  if (i.endpoint) parts.push(`${i.endpoint.address}:${i.endpoint.port}`);
  if (i.replicaSourceId) parts.push(`replica of ${i.replicaSourceId}`);
  if (i.replication?.status) {
    const detail = i.replication.message ? ` (${i.replication.message})` : '';
    parts.push(`replication ${i.replication.status}${detail}`);
  }
  if (i.readReplicaIds.length > 0) parts.push(`replicas: ${i.readReplicaIds.join(', ')}`);
  if (i.backupRetentionDays !== undefined) parts.push(`backups ${i.backupRetentionDays} d`);
  return parts.join('  ');
}

/** The result as an operator reads it. */
export function formatResult(result: FailoverActionResult): string[] {
  switch (result.action) {
    case 'describe': {
      const { primary, replicas, missing } = result.topology;
      return [
        ...(primary ? [describeInstance('primary', primary)] : []),
        ...replicas.map((replica) => describeInstance('replica', replica)),
        ...(missing.length > 0 ? [`missing: ${missing.join(', ')} (configured, but not found in RDS)`] : []),
      ];
    }
    case 'promote':
      return [
        `Promotion of ${result.instance.id} requested` +
          (result.backupRetentionDays === undefined
            ? ''
            : ` (backup retention kept at ${result.backupRetentionDays} d)`),
        describeInstance('now', result.instance),
      ];
    case 'reboot-failover':
      return [`Reboot with failover of ${result.instance.id} requested`, describeInstance('now', result.instance)];
  }
}

/** Runs one command; returns the exit code instead of exiting, so that tests can call it. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let command: Command;
  let operations: FailoverOperations;
  try {
    command = parseCommand(argv, io.err);
    const build = io.build ?? buildFailoverOperations;
    const env = command.region === undefined ? io.env : { ...io.env, [ENV.region]: command.region };
    operations = build(readRdsOperationsConfig(env), { rds: { endpoint: command.endpoint } });
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`error: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof ConfigurationError) {
      io.err(`error: ${error.message}`);
      return 2;
    }
    throw error;
  }
  const { request, options } = command;
  io.err(request.action === 'promote' ? `promote ${request.replicaId} ...` : `${request.action} ...`);
  try {
    const result = await runFailoverAction(operations, request, options);
    for (const line of formatResult(result)) io.out(line);
    return 0;
  } catch (error) {
    if (!(error instanceof PatternError)) throw error;
    io.err(`error (${error.code}): ${error.message}`);
    return 1;
  }
}

if (require.main === module) {
  const io: CliIo = { env: process.env, out: (line) => console.log(line), err: (line) => console.error(line) };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    },
  );
}
