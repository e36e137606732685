import type { Env, RdsOperationsConfig } from '../../lambdas/config/runtime-config';
import { FailoverOperations, type DbInstanceState, type RdsOperations } from '../../lambdas/core/failover-operations';
import type { BuildFailoverOperationsOptions } from '../../lambdas/wiring/failover-operations-wiring';
import { main, USAGE } from '../../scripts/failover';

const primary: DbInstanceState = {
  id: 'db',
  status: 'available',
  multiAz: true,
  availabilityZone: 'eu-west-1a',
  secondaryAvailabilityZone: 'eu-west-1b',
  endpoint: { address: 'db.example.internal', port: 5432 },
  readReplicaIds: ['db-r1'],
  backupRetentionDays: 7,
};
const replica: DbInstanceState = {
  id: 'db-r1',
  status: 'available',
  multiAz: false,
  availabilityZone: 'eu-west-1c',
  replicaSourceId: 'db',
  readReplicaIds: [],
  replication: { status: 'replicating', normal: true },
};

/** Runs the CLI in-process against a fixed two-instance RDS; `promoted` is what describe shows after a promotion. */
const ENV_OK: Env = { RDS_PRIMARY_INSTANCE_ID: 'db', RDS_REPLICA_INSTANCE_IDS: 'db-r1', AWS_REGION: 'eu-west-1' };

async function run(argv: string[], env: Env = ENV_OK) {
  const out: string[] = [];
  const err: string[] = [];
  const builds: Array<{ config: RdsOperationsConfig; options: BuildFailoverOperationsOptions }> = [];
  let promoted = false;
  const rds: RdsOperations = {
    describeInstances: async (ids) =>
      [primary, promoted ? { ...replica, replicaSourceId: undefined, replication: undefined } : replica].filter((i) =>
        ids.includes(i.id),
      ),
    promoteReadReplica: async () => {
      promoted = true;
      return { ...replica, status: 'modifying' };
    },
    rebootWithFailover: async () => ({ ...primary, status: 'rebooting' }),
  };
  const code = await main(argv, {
    env,
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    build: (config, options) => {
      builds.push({ config, options });
      const targets = { primaryInstanceId: 'db', replicaInstanceIds: ['db-r1'] };
      return new FailoverOperations(targets, rds, { sleep: async () => undefined });
    },
  });
  return { code, out, err, builds };
}

describe('failover CLI', () => {
  it.each([
    [[], 'a command is required'],
    [['nuke'], "unknown command 'nuke'"],
    [['promote'], "'promote' takes 1 argument, got 0"],
    [['describe', 'extra'], "'describe' takes no argument, got 1"],
    [['describe', '--timeout', '5'], '--timeout and --interval only apply with --wait'],
    [['promote', 'db-r1', '--wait', '--timeout', 'soon'], '--timeout must be a positive number of seconds, got "soon"'],
    [['describe', '--force'], "Unknown option '--force'"],
  ])('exits 2 with the usage for %j', async (argv, message) => {
    // Act
    const { code, out, err } = await run(argv);

    // Assess
    expect(code).toBe(2);
    expect(out).toEqual([]);
    expect(err.join('\n')).toContain(`error: ${message}`);
    expect(err.join('\n')).toContain(USAGE);
  });

  it('exits 2 naming every missing variable when the configuration is incomplete', async () => {
    // Act: the real wiring, which fails on configuration before any client is used
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['describe'], { env: {}, out: (l) => out.push(l), err: (l) => err.push(l) });

    // Assess
    expect(code).toBe(2);
    expect(err).toEqual([
      'error: Invalid runtime configuration:\n' +
        ' - AWS_REGION: got undefined; allowed: a value (required)\n' +
        ' - RDS_PRIMARY_INSTANCE_ID: got undefined; allowed: a value (required)',
    ]);
  });

  it('passes --region as AWS_REGION and --endpoint to the RDS client', async () => {
    const { code, builds } = await run(['describe', '--region', 'us-west-2', '--endpoint', 'http://127.0.0.1:5999']);
    expect(code).toBe(0);
    expect(builds[0].config.region).toBe('us-west-2');
    expect(builds[0].options).toEqual({ rds: { endpoint: 'http://127.0.0.1:5999' } });
  });

  it('prints the topology readably', async () => {
    const { code, out } = await run(['describe']);
    expect(code).toBe(0);
    expect(out).toEqual([
      'primary db  available  Multi-AZ (eu-west-1a, standby in eu-west-1b)  db.example.internal:5432  ' +
        'replicas: db-r1  backups 7 d',
      'replica db-r1  available  single-AZ (eu-west-1c)  replica of db  replication replicating',
    ]);
  });

  it('promotes and, with --wait, prints progress until the replica stands alone', async () => {
    // Act
    const { code, out, err } = await run(['promote', 'db-r1', '--wait', '--interval', '1']);

    // Assess
    expect(code).toBe(0);
    expect(err).toEqual(['promote db-r1 ...', expect.stringMatching(/^ {2}\d+ s: db-r1 is available$/)]);
    expect(out).toEqual([
      'Promotion of db-r1 requested (backup retention kept at 7 d)',
      'now     db-r1  available  single-AZ (eu-west-1c)',
    ]);
  });

  it('exits 1 with the reason when the core refuses the operation', async () => {
    const { code, out, err } = await run(['promote', 'db']);
    expect(code).toBe(1);
    expect(out).toEqual([]);
    expect(err).toEqual([
      'promote db ...',
      "error (InvalidInput): Replica 'db' is not a configured read replica (configured: db-r1)",
    ]);
  });
});
