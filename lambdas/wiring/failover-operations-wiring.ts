/**
 * Assembles the failover operations from the environment: the one way the Lambda handler, the CLI
 * and the tests build them. Operations only: this pattern is never mounted as an HTTP route.
 */
import { type Env, readRdsOperationsConfig } from '../config/runtime-config';
import { FailoverOperations, type FailoverOperationsOptions } from '../core/failover-operations';
import { createRdsClient, SdkRdsOperations, type RdsClientOptions } from '../adapters/rds-operations';

export interface BuildFailoverOperationsOptions extends FailoverOperationsOptions {
  /** Endpoint, region or a ready client for RDS; the region defaults to the configured AWS_REGION. */
  readonly rds?: RdsClientOptions;
}

/**
 * Reads RDS_PRIMARY_INSTANCE_ID, RDS_REPLICA_INSTANCE_IDS and AWS_REGION (ConfigurationError
 * listing every problem) and builds the operations on an SDK client.
 *
 * @example
 * const ops = buildFailoverOperations(process.env, { rds: { endpoint: 'http://127.0.0.1:5000' } });
 */
export function buildFailoverOperations(env: Env, options: BuildFailoverOperationsOptions = {}): FailoverOperations {
  const config = readRdsOperationsConfig(env);
  const client = createRdsClient({ ...options.rds, region: options.rds?.region ?? config.region });
  return new FailoverOperations(config, new SdkRdsOperations(client), options);
}
