/**
 * Assembles the failover operations from their configuration section (parsed by the host: the
 * Lambda handler or the CLI): the one way the handler, the CLI and the tests build them. Operations only: this pattern is never mounted as an HTTP route.
 */
import type { RdsOperationsConfig } from '../config/runtime-config';
import { FailoverOperations, type FailoverOperationsOptions } from '../core/failover-operations';
import { createRdsClient, SdkRdsOperations, type RdsClientOptions } from '../adapters/rds-operations';

export interface BuildFailoverOperationsOptions extends FailoverOperationsOptions {
  /** Endpoint, region or a ready client for RDS; the region defaults to the configured AWS_REGION. */
  readonly rds?: RdsClientOptions;
}

/**
 * Builds the operations on an SDK client for the instances of `config` (RDS_PRIMARY_INSTANCE_ID,
 * RDS_REPLICA_INSTANCE_IDS and AWS_REGION, as `readRdsOperationsConfig` parses them).
 *
 * @example
 * const ops = buildFailoverOperations(readRdsOperationsConfig(process.env), { rds: { endpoint: 'http://127.0.0.1:5000' } });
 */
export function buildFailoverOperations(config: RdsOperationsConfig, options: BuildFailoverOperationsOptions = {}): FailoverOperations {
  const client = createRdsClient({ ...options.rds, region: options.rds?.region ?? config.region });
  return new FailoverOperations(config, new SdkRdsOperations(client), options);
}
