import { ConfigurationError } from '../../lambdas/config/runtime-config';
import { FailoverOperations, type DbInstanceState, type RdsOperations } from '../../lambdas/core/failover-operations';
import { failoverOperationsHandler } from '../../lambdas/handlers/failover-operations-handler';
import { logger } from '../../lambdas/observability/logger';

const primary: DbInstanceState = { id: 'db', status: 'available', multiAz: true, readReplicaIds: ['db-r1'] };

/** Only describe answers; the other calls must not be reached by these tests. */
const describeOnlyRds: RdsOperations = {
  describeInstances: async (ids) => [primary].filter((instance) => ids.includes(instance.id)),
  promoteReadReplica: () => Promise.reject(new Error('not expected')),
  rebootWithFailover: () => Promise.reject(new Error('not expected')),
};

function handlerWith(rds: RdsOperations = describeOnlyRds) {
  return failoverOperationsHandler(
    () => new FailoverOperations({ primaryInstanceId: 'db', replicaInstanceIds: ['db-r1'] }, rds),
  );
}

const ACTIONS = 'expected one of describe, promote, reboot-failover';

describe('failoverOperationsHandler', () => {
  let loggedErrors: jest.SpyInstance;
  beforeEach(() => {
    jest.spyOn(logger, 'info').mockImplementation(() => undefined);
    jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    loggedErrors = jest.spyOn(logger, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it.each([
    ['an unknown action', { action: 'nuke' }, `action: "nuke" is unknown, ${ACTIONS}`],
    ['a missing action', {}, `action: missing, ${ACTIONS}`],
    ['an event that is not an object', 'describe', '(event): expected object'],
    ['an unknown field', { action: 'describe', force: true }, '(event): unknown field(s) force'],
    ['promote without replicaId', { action: 'promote' }, 'replicaId: expected string'],
    [
      'a replicaId that is no RDS identifier',
      { action: 'promote', replicaId: 'db--r1' },
      'replicaId: expected an RDS instance identifier (1-63 letters, digits or hyphens, starting with a letter)',
    ],
  ])('rejects %s with a clear InvalidInput result', async (_case, event, issue) => {
    // Prepare
    const handler = handlerWith();

    // Act
    const result = await handler(event);

    // Assess
    expect(result).toEqual({ ok: false, error: 'InvalidInput', message: `Invalid event: ${issue}`, issues: [issue] });
  });

  it('returns the topology for a describe event', async () => {
    const result = await handlerWith()({ action: 'describe' });
    expect(result).toEqual({ ok: true, action: 'describe', topology: { primary, replicas: [], missing: ['db-r1'] } });
  });

  it("returns the core's refusal as an error result", async () => {
    const result = await handlerWith()({ action: 'promote', replicaId: 'db-r9' });
    expect(result).toEqual({
      ok: false,
      error: 'InvalidInput',
      message: "Replica 'db-r9' is not a configured read replica (configured: db-r1)",
    });
  });

  it('reports a configuration error with its message and retries the build on the next invocation', async () => {
    // Prepare
    let builds = 0;
    const handler = failoverOperationsHandler(() => {
      builds += 1;
      throw new ConfigurationError(['RDS_PRIMARY_INSTANCE_ID: got undefined; allowed: a value (required)']);
    });

    // Act
    const first = await handler({ action: 'describe' });
    await handler({ action: 'describe' });

    // Assess
    expect(first).toEqual({
      ok: false,
      error: 'Misconfigured',
      message: 'Invalid runtime configuration:\n - RDS_PRIMARY_INSTANCE_ID: got undefined; allowed: a value (required)',
    });
    expect(builds).toBe(2);
  });

  it('hides the details of an unexpected error from the result and logs them', async () => {
    // Prepare
    const boom = new TypeError('boom');
    const crashing: RdsOperations = { ...describeOnlyRds, describeInstances: () => Promise.reject(boom) };

    // Act
    const result = await handlerWith(crashing)({ action: 'describe' });

    // Assess
    expect(result).toEqual({ ok: false, error: 'InternalError', message: 'Internal error; see the function logs' });
    expect(loggedErrors).toHaveBeenCalledWith('failover action crashed', { request: { action: 'describe' }, error: boom });
  });
});
