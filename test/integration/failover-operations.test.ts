/**
 * Failover operations against moto_server (moto 5.2), through the real SDK client, wiring, Lambda
 * handler and CLI. What moto enforces and what it does not, as found by these tests:
 * - enforced by moto: unknown instance ids (DBInstanceNotFoundFault), the request shapes.
 * - NOT enforced by moto, so enforced (and proven here) by our core: ForceFailover on a single-AZ
 *   instance (moto reboots it happily; real RDS refuses), instance state checks (moto keeps every
 *   instance `available` and never shows `modifying` or `rebooting`).
 * - NOT emulated by moto: after PromoteReadReplica, real RDS drops ReadReplicaSourceDBInstanceIdentifier
 *   once the promotion is done; moto keeps it forever, so waiting for the promotion times out here.
 */
import {
  CreateDBInstanceCommand,
  CreateDBInstanceReadReplicaCommand,
  DescribeDBInstancesCommand,
  ModifyDBInstanceCommand,
  RDSClient,
  RebootDBInstanceCommand,
} from '@aws-sdk/client-rds';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { EngineUnavailableError, InvalidInputError, NotFoundError } from '../../lambdas/core/errors';
import { SdkRdsOperations } from '../../lambdas/adapters/rds-operations';
import { handler } from '../../lambdas/handlers/failover-operations-handler';
import { logger } from '../../lambdas/observability/logger';
import { buildFailoverOperations } from '../../lambdas/wiring/failover-operations-wiring';
import { readRdsOperationsConfig } from '../../lambdas/config/runtime-config';
import { main } from '../../scripts/failover';
import { freePort, MOTO_CREDENTIALS, startMotoServer, type MotoServer } from '../../harness';

const REGION = 'eu-west-1';
/** Keeps the SDK on moto's dummy credentials and away from any metadata endpoint. */
const SDK_ENV = {
  AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
  AWS_REGION: REGION,
  AWS_EC2_METADATA_DISABLED: 'true',
};
const TOPOLOGY_ENV = {
  RDS_PRIMARY_INSTANCE_ID: 'db-primary',
  RDS_REPLICA_INSTANCE_IDS: 'db-replica-1,db-replica-2,db-replica-3',
};

let moto: MotoServer;
let rds: RDSClient;
const savedEnv = { ...process.env };

async function describeRaw(id: string) {
  const out = await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }));
  return out.DBInstances![0];
}

async function expectRejection(attempt: Promise<unknown>, type: abstract new (...args: never[]) => Error, message: string) {
  const error = await attempt.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(type);
  expect((error as Error).message).toBe(message);
}

beforeAll(async () => {
  Object.assign(process.env, SDK_ENV);
  moto = await startMotoServer();
  rds = new RDSClient({ endpoint: moto.endpoint, region: REGION, credentials: MOTO_CREDENTIALS });
  const postgres = {
    Engine: 'postgres',
    DBInstanceClass: 'db.t4g.micro',
    AllocatedStorage: 20,
    MasterUsername: 'app',
    MasterUserPassword: 'not-a-secret',
  };
  await rds.send(
    new CreateDBInstanceCommand({ ...postgres, DBInstanceIdentifier: 'db-primary', MultiAZ: true, BackupRetentionPeriod: 7 }),
  );
  await rds.send(new CreateDBInstanceCommand({ ...postgres, DBInstanceIdentifier: 'db-single', MultiAZ: false }));
  for (const id of ['db-replica-1', 'db-replica-2', 'db-replica-3']) {
    await rds.send(
      new CreateDBInstanceReadReplicaCommand({ DBInstanceIdentifier: id, SourceDBInstanceIdentifier: 'db-primary' }),
    );
  }
  // Like a PostgreSQL replica on RDS: no automated backups of its own.
  await rds.send(
    new ModifyDBInstanceCommand({ DBInstanceIdentifier: 'db-replica-1', BackupRetentionPeriod: 0, ApplyImmediately: true }),
  );
});

afterAll(async () => {
  rds?.destroy();
  await moto?.stop();
  process.env = savedEnv;
});

beforeEach(() => {
  jest.spyOn(logger, 'info').mockImplementation(() => undefined);
  jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

function operations(overrides: Record<string, string> = {}) {
  return buildFailoverOperations(readRdsOperationsConfig({ ...SDK_ENV, ...TOPOLOGY_ENV, ...overrides }), { rds: { endpoint: moto.endpoint } });
}

describe('FailoverOperations on moto', () => {
  it('describes the primary and its replicas from DescribeDBInstances', async () => {
    // Act
    const topology = await operations({ RDS_REPLICA_INSTANCE_IDS: 'db-replica-3,db-replica-gone' }).describeTopology();

    // Assess
    expect(topology.primary).toMatchObject({
      id: 'db-primary',
      status: 'available',
      multiAz: true,
      availabilityZone: expect.stringMatching(/^eu-west-1[a-z]$/),
      endpoint: { address: expect.stringContaining('db-primary'), port: 5432 },
      readReplicaIds: expect.arrayContaining(['db-replica-1', 'db-replica-2', 'db-replica-3']),
      backupRetentionDays: 7,
    });
    expect(topology.primary?.replicaSourceId).toBeUndefined();
    expect(topology.replicas).toEqual([expect.objectContaining({ id: 'db-replica-3', replicaSourceId: 'db-primary' })]);
    expect(topology.missing).toEqual(['db-replica-gone']);
  });

  it("promotes a replica with PromoteReadReplica, keeping the primary's backup retention", async () => {
    // Prepare
    expect((await describeRaw('db-replica-1')).BackupRetentionPeriod).toBe(0);

    // Act
    const result = await operations().promoteReplica('db-replica-1');

    // Assess: the retention our core chose reached moto and was applied there
    expect(result.backupRetentionDays).toBe(7);
    expect((await describeRaw('db-replica-1')).BackupRetentionPeriod).toBe(7);
  });

  it('moto gap: a promoted replica keeps ReadReplicaSourceDBInstanceIdentifier, so waiting for it times out', async () => {
    // Prepare: real RDS clears the source once the promotion is done; moto 5.2 never does.
    const ops = operations();
    await ops.promoteReplica('db-replica-2');
    expect((await describeRaw('db-replica-2')).ReadReplicaSourceDBInstanceIdentifier).toBe('db-primary');

    // Act: a second promotion is still accepted (it still looks like a replica), and waits in vain
    const attempt = ops.promoteReplica('db-replica-2', { waitUntilAvailable: { timeoutMs: 120, intervalMs: 50 } });

    // Assess: our wait does not call a still-replicating instance promoted
    await expect(attempt).rejects.toThrow(EngineUnavailableError);
    await expect(attempt).rejects.toThrow(
      /'db-replica-2' is not done after \d+ s \(status 'available', still a replica of 'db-primary'\)/,
    );
  });

  it('refuses to promote an id that is not a configured replica (our core; no API call)', async () => {
    await expectRejection(
      operations().promoteReplica('db-single'),
      InvalidInputError,
      "Replica 'db-single' is not a configured read replica (configured: db-replica-1, db-replica-2, db-replica-3)",
    );
  });

  it('reports a configured replica that moto does not know as NotFoundError', async () => {
    await expectRejection(
      operations({ RDS_REPLICA_INSTANCE_IDS: 'db-replica-gone' }).promoteReplica('db-replica-gone'),
      NotFoundError,
      "Replica 'db-replica-gone' does not exist in RDS",
    );
  });

  it('reboots a Multi-AZ primary with ForceFailover', async () => {
    const instance = await operations().rebootWithFailover();
    // moto answers `available` at once; real RDS answers `rebooting`.
    expect(instance).toMatchObject({ id: 'db-primary', multiAz: true, status: 'available' });
  });

  it('refuses ForceFailover on a single-AZ primary (our core: moto itself accepts it)', async () => {
    // Prepare: prove that the refusal is ours, not moto's
    const raw = await rds.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: 'db-single', ForceFailover: true }));
    expect(raw.DBInstance?.DBInstanceIdentifier).toBe('db-single');

    // Act
    const attempt = operations({ RDS_PRIMARY_INSTANCE_ID: 'db-single' }).rebootWithFailover();

    // Assess
    await expectRejection(
      attempt,
      InvalidInputError,
      "Primary 'db-single' is not Multi-AZ: reboot with failover needs a synchronous standby to fail over to. " +
        'Enable Multi-AZ, or promote a read replica instead (asynchronous: commits it has not replayed are lost)',
    );
  });
});

describe('SdkRdsOperations on moto', () => {
  it("maps moto's DBInstanceNotFoundFault to NotFoundError", async () => {
    await expectRejection(
      new SdkRdsOperations(rds).rebootWithFailover('db-ghost'),
      NotFoundError,
      'RDS refused RebootDBInstance: DBInstanceNotFoundFault: DBInstance db-ghost not found.',
    );
  });

  it('turns an unreachable RDS endpoint into EngineUnavailableError', async () => {
    // Prepare: a port nobody listens on
    const closed = `http://127.0.0.1:${await freePort()}`;
    const ops = buildFailoverOperations(readRdsOperationsConfig({ ...SDK_ENV, ...TOPOLOGY_ENV }), { rds: { endpoint: closed } });

    // Act / Assess
    await expect(ops.describeTopology()).rejects.toThrow(EngineUnavailableError);
  });
});

describe('failover operations handler on moto', () => {
  beforeAll(() => {
    // The handler builds from process.env on its first invocation; AWS_ENDPOINT_URL_RDS is read by the SDK itself.
    Object.assign(process.env, TOPOLOGY_ENV, { AWS_ENDPOINT_URL_RDS: moto.endpoint });
  });

  it('answers a describe event with the topology', async () => {
    const result = await handler({ action: 'describe' });
    expect(result).toMatchObject({ ok: true, action: 'describe', topology: { primary: { id: 'db-primary' }, missing: [] } });
  });

  it('answers a promote event with the promoted instance', async () => {
    const result = await handler({ action: 'promote', replicaId: 'db-replica-3' });
    expect(result).toMatchObject({ ok: true, action: 'promote', backupRetentionDays: 7, instance: { id: 'db-replica-3' } });
  });

  it('answers a reboot-failover event', async () => {
    const result = await handler({ action: 'reboot-failover' });
    expect(result).toMatchObject({ ok: true, action: 'reboot-failover', instance: { id: 'db-primary', multiAz: true } });
  });
});

describe('failover CLI on moto', () => {
  it('exits 1 with the reason when reboot-failover targets a single-AZ primary', async () => {
    // Prepare
    const err: string[] = [];
    const env = { ...SDK_ENV, ...TOPOLOGY_ENV, RDS_PRIMARY_INSTANCE_ID: 'db-single' };

    // Act
    const io = { env, out: () => undefined, err: (line: string) => err.push(line) };
    const code = await main(['reboot-failover', '--endpoint', moto.endpoint], io);

    // Assess
    expect(code).toBe(1);
    expect(err[1]).toMatch(/^error \(InvalidInput\): Primary 'db-single' is not Multi-AZ/);
  });

  it('runs as a script: describe prints the topology and exits 0', () => {
    // Act
    const run = spawnSync(
      process.execPath,
      [
        require.resolve('tsx/cli'),
        join(__dirname, '../../scripts/failover.ts'),
        ...['describe', '--region', REGION, '--endpoint', moto.endpoint],
      ],
      { env: { PATH: process.env.PATH, ...SDK_ENV, ...TOPOLOGY_ENV, AWS_REGION: '' }, encoding: 'utf8', timeout: 20_000 },
    );

    // Assess
    expect(run.stderr).toContain('describe ...');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^primary db-primary {2}available {2}Multi-AZ/m);
    expect(run.stdout).toMatch(/^replica db-replica-1 {2}available/m);
  });
});
