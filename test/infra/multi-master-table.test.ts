import { Match } from 'aws-cdk-lib/assertions';
import { synthPatterns } from '../support/synth-patterns';

describe('GlobalTableStack and RegionalStack: multi-master DynamoDB', () => {
  const defaults = synthPatterns();

  it('creates one global table with a replica in every Region, eventual consistency by default', () => {
    const table = defaults.template('globalTable');
    table.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
    table.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      MultiRegionConsistency: 'EVENTUAL',
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
    });
    const [resource] = Object.values(table.findResources('AWS::DynamoDB::GlobalTable')) as Array<{
      Properties: { Replicas: Array<{ Region: string; PointInTimeRecoverySpecification?: unknown }> };
    }>;
    expect(resource.Properties.Replicas.map((replica) => replica.Region).sort()).toEqual(['us-east-1', 'us-east-2', 'us-west-2']);
    for (const replica of resource.Properties.Replicas) {
      expect(replica.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    }
  });

  it('uses strong consistency (MRSC) with globalConsistency=strong', () => {
    synthPatterns({ globalConsistency: 'strong' })
      .template('globalTable')
      .hasResourceProperties('AWS::DynamoDB::GlobalTable', { MultiRegionConsistency: 'STRONG' });
  });

  it('uses a witness Region with strong consistency across two Regions', () => {
    const synthesized = synthPatterns({ globalConsistency: 'strong', replicaRegions: 'us-east-2', witnessRegion: 'us-west-2' });
    synthesized.template('globalTable').hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      MultiRegionConsistency: 'STRONG',
      GlobalTableWitnesses: [{ Region: 'us-west-2' }],
      Replicas: [Match.objectLike({ Region: 'us-east-2' }), Match.objectLike({ Region: 'us-east-1' })],
    });
    expect(synthesized.stacks.regional.map((stack) => stack.region)).toEqual(['us-east-1', 'us-east-2']);
  });

  it('puts one regional stack in every Region, each with an IAM-authenticated Function URL', () => {
    expect(defaults.stacks.regional.map((stack) => stack.region)).toEqual(['us-east-1', 'us-east-2', 'us-west-2']);
    for (const stack of defaults.stacks.regional) {
      const regional = defaults.template(`regional:${stack.region}`);
      regional.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'AWS_IAM' });
      regional.hasResourceProperties('AWS::Lambda::Function', {
        Runtime: 'nodejs24.x',
        Environment: { Variables: Match.objectLike({ GLOBAL_CONSISTENCY: 'eventual', GLOBAL_TABLE_NAME: Match.anyValue() }) },
      });
    }
  });

  it("lets each Region's writer only Query and PutItem its own Region's replica", () => {
    const regional = defaults.template('regional:us-west-2');
    regional.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['dynamodb:PutItem', 'dynamodb:Query'],
            Resource: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('^arn:aws:dynamodb:us-west-2:')]) as never] },
          }),
        ]),
      },
    });
    expect(JSON.stringify(regional.toJSON())).not.toMatch(/dynamodb:us-east-1/);
  });
});
