import { Match } from 'aws-cdk-lib/assertions';
import { dbInstances } from '../support/database-instances';

type Resources = Record<string, { Properties: Record<string, unknown> }>;

describe('DataStack: PostgreSQL with read replicas, Valkey, secrets', () => {
  const defaults = dbInstances();

  it('creates one encrypted PostgreSQL primary and two read replicas of it', () => {
    expect(defaults.primaries).toHaveLength(1);
    const [primaryId, primary] = defaults.primaries[0];
    expect(primary.Properties).toMatchObject({ Engine: 'postgres', StorageEncrypted: true, MultiAZ: false, DBInstanceClass: 'db.t4g.micro' });
    expect(defaults.replicas).toHaveLength(2);
    for (const [, replica] of defaults.replicas) {
      expect(JSON.stringify(replica.Properties.SourceDBInstanceIdentifier)).toContain(`{"Ref":"${primaryId}"}`);
    }
  });

  it('keeps credentials in a generated secret, requires TLS and rotates the secret', () => {
    defaults.template.hasResourceProperties('AWS::RDS::DBParameterGroup', {
      Parameters: Match.objectLike({ 'rds.force_ssl': '1' }),
    });
    defaults.template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({ SecretStringTemplate: '{"username":"patterns_admin"}' }),
    });
    defaults.template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      RotationRules: { ScheduleExpression: 'rate(30 days)' },
    });
    const primary = defaults.primaries[0][1].Properties;
    expect(JSON.stringify(primary.MasterUserPassword)).toMatch(/resolve:secretsmanager/);
  });

  it.each([
    ['0', 0],
    ['5', 5],
  ])('honours readReplicas=%s', (value, expected) => {
    expect(dbInstances({ readReplicas: value }).replicas).toHaveLength(expected);
  });

  it('creates a Valkey replication group encrypted at rest and in transit, with an AUTH token from Secrets Manager', () => {
    defaults.template.hasResourceProperties('AWS::ElastiCache::ReplicationGroup', {
      Engine: 'valkey',
      NumCacheClusters: 2,
      AutomaticFailoverEnabled: true,
      MultiAZEnabled: true,
      AtRestEncryptionEnabled: true,
      TransitEncryptionEnabled: true,
      TransitEncryptionMode: 'required',
      AuthToken: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith(['{{resolve:secretsmanager:']) as never]) }),
    });
  });

  it('opens no data port in the data stack itself: only the compute tiers open it, from their own stack', () => {
    const groups = defaults.template.findResources('AWS::EC2::SecurityGroup') as Resources;
    for (const group of Object.values(groups)) {
      expect(group.Properties.SecurityGroupIngress ?? []).toEqual([]);
    }
    expect(Object.keys(defaults.template.findResources('AWS::EC2::SecurityGroupIngress', { Properties: { FromPort: 6379 } }))).toEqual([]);
  });
});
