/**
 * The RDS control plane behind the failover operations, through @aws-sdk/client-rds. The client is
 * built once per cold start with bounded timeouts; its endpoint can be overridden (moto, LocalStack),
 * and AWS_ENDPOINT_URL_RDS is honoured by the SDK itself.
 */
import {
  DescribeDBInstancesCommand,
  PromoteReadReplicaCommand,
  RDSClient,
  RebootDBInstanceCommand,
  RDSServiceException,
  type DBInstance,
} from '@aws-sdk/client-rds';
import { ConflictError, InvalidInputError, NotFoundError } from '../core/errors';
import type { DbInstanceState, RdsOperations } from '../core/failover-operations';
import { guardEngine } from './engine-errors';

export interface RdsClientOptions {
  /** Use this client as is (tests, custom middleware); the other options are then ignored. */
  readonly client?: RDSClient;
  /**
   * API endpoint, e.g. `http://127.0.0.1:5000` for moto.
   * @default - the SDK's: AWS_ENDPOINT_URL_RDS, else the regional AWS endpoint
   */
  readonly endpoint?: string;
  /** @default - the SDK's (AWS_REGION) */
  readonly region?: string;
}

/** A control-plane call answers in well under a second; past this, the API is treated as down. */
export const RDS_REQUEST_TIMEOUT_MS = 10_000;

/**
 * Builds the RDS client with bounded connection and request timeouts and few retries, so that an
 * unreachable endpoint turns into a 503 within seconds rather than a hung invocation.
 *
 * @example
 * const rds = createRdsClient({ endpoint: 'http://127.0.0.1:5000', region: 'us-east-1' });
 */
export function createRdsClient(options: RdsClientOptions = {}): RDSClient {
  if (options.client) return options.client;
  return new RDSClient({
    region: options.region,
    endpoint: options.endpoint,
    maxAttempts: 3,
    requestHandler: {
      connectionTimeout: 2_000,
      requestTimeout: RDS_REQUEST_TIMEOUT_MS,
      throwOnRequestTimeout: true,
    },
  });
}

/** Maps the SDK's DBInstance to the core's view of it. */
export function toDbInstanceState(instance: DBInstance): DbInstanceState {
  const replication = instance.StatusInfos?.find((info) => info.StatusType === 'read replication');
  return {
    id: instance.DBInstanceIdentifier ?? '',
    status: instance.DBInstanceStatus ?? 'unknown',
    endpoint:
      instance.Endpoint?.Address === undefined
        ? undefined
        : { address: instance.Endpoint.Address, port: instance.Endpoint.Port ?? 5432 },
    availabilityZone: instance.AvailabilityZone,
    secondaryAvailabilityZone: instance.SecondaryAvailabilityZone,
    multiAz: instance.MultiAZ === true,
    replicaSourceId: instance.ReadReplicaSourceDBInstanceIdentifier,
    readReplicaIds: instance.ReadReplicaDBInstanceIdentifiers ?? [],
    backupRetentionDays: instance.BackupRetentionPeriod,
    replication:
      replication === undefined
        ? undefined
        : { status: replication.Status, normal: replication.Normal, message: replication.Message },
  };
}

const THROTTLING = new Set(['Throttling', 'ThrottlingException', 'RequestLimitExceeded']);

/**
 * An API refusal is an answer, not an outage: map the ones an operator can act on to the core's
 * errors; throttling, server faults and network failures stay 503 (guardEngine).
 */
function toPatternError(operation: string, error: unknown): unknown {
  if (!(error instanceof RDSServiceException) || error.$fault !== 'client' || THROTTLING.has(error.name)) return error;
  const message = `RDS refused ${operation}: ${error.name}: ${error.message}`;
  if (error.name === 'DBInstanceNotFoundFault') return new NotFoundError(message);
  if (error.name === 'InvalidDBInstanceStateFault') return new ConflictError(message);
  return new InvalidInputError(message);
}

function call<T>(operation: string, send: () => Promise<T>): Promise<T> {
  return guardEngine('rds', () =>
    send().catch((error: unknown) => {
      throw toPatternError(operation, error);
    }),
  );
}

function instanceOf(operation: string, instance: DBInstance | undefined): DbInstanceState {
  if (instance === undefined) throw new Error(`${operation} returned no DBInstance`);
  return toDbInstanceState(instance);
}

/**
 * Implements the core's RdsOperations port with the SDK.
 *
 * @example
 * const ops = new FailoverOperations(config, new SdkRdsOperations(createRdsClient({ region: config.region })));
 */
export class SdkRdsOperations implements RdsOperations {
  constructor(private readonly client: RDSClient) {}

  async describeInstances(ids: readonly string[]): Promise<readonly DbInstanceState[]> {
    // One call per id with DBInstanceIdentifier (not one call with a filter): IAM can then scope
    // rds:DescribeDBInstances to the exact instance ARNs instead of `db:*`.
    const found = await Promise.all([...new Set(ids)].map((id) => this.describeOne(id)));
    return found.filter((instance): instance is DbInstanceState => instance !== undefined);
  }

  private async describeOne(id: string): Promise<DbInstanceState | undefined> {
    try {
      const out = await call('DescribeDBInstances', () =>
        this.client.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id })),
      );
      const instance = out.DBInstances?.[0];
      return instance === undefined ? undefined : toDbInstanceState(instance);
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
  }

  async promoteReadReplica(id: string, options: { readonly backupRetentionDays?: number }): Promise<DbInstanceState> {
    const out = await call('PromoteReadReplica', () =>
      this.client.send(
        new PromoteReadReplicaCommand({ DBInstanceIdentifier: id, BackupRetentionPeriod: options.backupRetentionDays }),
      ),
    );
    return instanceOf('PromoteReadReplica', out.DBInstance);
  }

  async rebootWithFailover(id: string): Promise<DbInstanceState> {
    const out = await call('RebootDBInstance', () =>
      this.client.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: id, ForceFailover: true })),
    );
    return instanceOf('RebootDBInstance', out.DBInstance);
  }
}
