import { InvalidDBInstanceStateFault, RDSClient, RDSServiceException, type DBInstance } from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { SdkRdsOperations, toDbInstanceState } from '../../lambdas/adapters/rds-operations';
import { ConflictError, EngineUnavailableError, InvalidInputError } from '../../lambdas/core/errors';

const rds = mockClient(RDSClient);

/** A client whose every call fails with `error`; no network. */
function failingClient(error: Error): RDSClient {
  rds.reset();
  rds.onAnyCommand().rejects(error);
  return new RDSClient({ region: 'eu-west-1' });
}

function serviceError(name: string, fault: 'client' | 'server'): RDSServiceException {
  return new RDSServiceException({ name, $fault: fault, $metadata: {}, message: `${name} happened` });
}

describe('toDbInstanceState', () => {
  it('maps the fields the operations use, including read-replication status infos', () => {
    // Prepare: a replica as real RDS describes it (moto does not emit StatusInfos)
    const instance: DBInstance = {
      DBInstanceIdentifier: 'db-r1',
      DBInstanceStatus: 'available',
      Endpoint: { Address: 'db-r1.abc.eu-west-1.rds.amazonaws.com', Port: 5432 },
      AvailabilityZone: 'eu-west-1b',
      MultiAZ: false,
      ReadReplicaSourceDBInstanceIdentifier: 'db',
      ReadReplicaDBInstanceIdentifiers: [],
      BackupRetentionPeriod: 0,
      StatusInfos: [{ StatusType: 'read replication', Status: 'error', Normal: false, Message: 'replication stopped' }],
    };

    // Act
    const state = toDbInstanceState(instance);

    // Assess
    expect(state).toEqual({
      id: 'db-r1',
      status: 'available',
      endpoint: { address: 'db-r1.abc.eu-west-1.rds.amazonaws.com', port: 5432 },
      availabilityZone: 'eu-west-1b',
      secondaryAvailabilityZone: undefined,
      multiAz: false,
      replicaSourceId: 'db',
      readReplicaIds: [],
      backupRetentionDays: 0,
      replication: { status: 'error', normal: false, message: 'replication stopped' },
    });
  });

  it('leaves out what a creating instance does not have yet', () => {
    const state = toDbInstanceState({ DBInstanceIdentifier: 'db', DBInstanceStatus: 'creating' });
    expect(state).toMatchObject({ id: 'db', status: 'creating', multiAz: false, readReplicaIds: [] });
    expect(state.endpoint).toBeUndefined();
    expect(state.replication).toBeUndefined();
  });
});

describe('SdkRdsOperations error mapping', () => {
  it('maps InvalidDBInstanceStateFault (the instance changed state under us) to ConflictError', async () => {
    const fault = new InvalidDBInstanceStateFault({ $metadata: {}, message: 'Instance db-r1 is not in available state' });
    const attempt = new SdkRdsOperations(failingClient(fault)).promoteReadReplica('db-r1', {});
    await expect(attempt).rejects.toThrow(ConflictError);
    await expect(attempt).rejects.toThrow(
      'RDS refused PromoteReadReplica: InvalidDBInstanceStateFault: Instance db-r1 is not in available state',
    );
  });

  it('maps other client faults (e.g. AccessDenied) to InvalidInputError naming the operation', async () => {
    const attempt = new SdkRdsOperations(failingClient(serviceError('AccessDenied', 'client'))).rebootWithFailover('db');
    await expect(attempt).rejects.toThrow(InvalidInputError);
    await expect(attempt).rejects.toThrow('RDS refused RebootDBInstance: AccessDenied: AccessDenied happened');
  });

  it.each([
    ['throttling', serviceError('Throttling', 'client')],
    ['a server fault', serviceError('InternalFailure', 'server')],
    ['a network error', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })],
  ])('treats %s as the RDS API being unavailable (503)', async (_case, error) => {
    const attempt = new SdkRdsOperations(failingClient(error)).describeInstances(['db']);
    await expect(attempt).rejects.toThrow(EngineUnavailableError);
    await expect(attempt).rejects.toThrow(`rds is unavailable: ${error.message}`);
  });
});
