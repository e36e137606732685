import { Annotations, Match, type Template } from 'aws-cdk-lib/assertions';
import { PG_POOL_DEFAULTS } from '../../lambdas/adapters/pg-pools';
import { FARGATE_DB_POOL_MAX, LAMBDA_DB_POOL_MAX, PROXY_MAX_CONNECTIONS_PERCENT } from '../../lib/config/connection-budget';
import { SCALING_POLICY } from '../../lib/config/scaling-policy';
import { TASK_DRAIN } from '../../lib/compute/task-drain';
import { synthPatterns } from '../support/synth-patterns';

type Resource = { Properties: Record<string, any>; DependsOn?: string[] };

function resources(template: Template, type: string, props: Record<string, unknown> = {}): Array<[string, Resource]> {
  return Object.entries(template.findResources(type, props)) as Array<[string, Resource]>;
}

function environmentOf(resource: Resource): Record<string, unknown> {
  return resource.Properties.Environment.Variables as Record<string, unknown>;
}

/** Pattern functions behind the ALB (Lambda tier), by their PATTERN_TIER and VPC config. */
function patternFunctions(template: Template): Array<[string, Resource]> {
  return resources(template, 'AWS::Lambda::Function', {
    Properties: { Environment: { Variables: Match.objectLike({ PATTERN_TIER: 'lambda' }) }, VpcConfig: Match.anyValue() },
  });
}

function containerEnvironment(template: Template): Record<string, unknown> {
  const [[, task]] = resources(template, 'AWS::ECS::TaskDefinition');
  const [container] = task.Properties.ContainerDefinitions as Array<{ Environment: Array<{ Name: string; Value: unknown }> }>;
  return Object.fromEntries(container.Environment.map((e) => [e.Name, e.Value]));
}

describe('Scale and pool (defaults)', () => {
  const synthesized = synthPatterns();
  const stateless = synthesized.template('stateless');
  const data = synthesized.template('data');
  const lambdaCount = synthesized.stacks.stateless.lambdaTier.patterns.length;

  describe('Fargate auto scaling', () => {
    it('has a scalable target from fargateMinTasks to fargateMaxTasks', () => {
      stateless.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
        MinCapacity: SCALING_POLICY.fargateMinTasks,
        MaxCapacity: SCALING_POLICY.fargateMaxTasks,
        ScalableDimension: 'ecs:service:DesiredCount',
      });
    });

    it('tracks requests per task on the Fargate target group and average CPU, slow in and fast out', () => {
      const policies = resources(stateless, 'AWS::ApplicationAutoScaling::ScalingPolicy').map(([, p]) => p.Properties.TargetTrackingScalingPolicyConfiguration);
      expect(policies).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            TargetValue: SCALING_POLICY.targetRequestsPerTask,
            PredefinedMetricSpecification: expect.objectContaining({ PredefinedMetricType: 'ALBRequestCountPerTarget', ResourceLabel: expect.anything() }),
            ScaleInCooldown: SCALING_POLICY.scaleInCooldownSeconds,
            ScaleOutCooldown: SCALING_POLICY.scaleOutCooldownSeconds,
          }),
          expect.objectContaining({
            TargetValue: SCALING_POLICY.cpuTargetPercent,
            PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
          }),
        ]),
      );
      expect(policies).toHaveLength(2);
    });

    it('drains a task before SIGTERM for longer than any request can run, and gives the server time to close', () => {
      const longest = (PG_POOL_DEFAULTS.connectionTimeoutMillis + PG_POOL_DEFAULTS.queryTimeoutMs) / 1000;
      expect(TASK_DRAIN.longestRequest.toSeconds()).toBeGreaterThanOrEqual(longest);
      expect(TASK_DRAIN.deregistrationDelay.toSeconds()).toBeGreaterThan(TASK_DRAIN.longestRequest.toSeconds());
      expect(TASK_DRAIN.stopTimeout.toSeconds()).toBeGreaterThan(TASK_DRAIN.longestRequest.toSeconds());
      stateless.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
        TargetType: 'ip',
        TargetGroupAttributes: Match.arrayWith([{ Key: 'deregistration_delay.timeout_seconds', Value: String(TASK_DRAIN.deregistrationDelay.toSeconds()) }]),
      });
      stateless.hasResourceProperties('AWS::ECS::TaskDefinition', {
        ContainerDefinitions: [Match.objectLike({ StopTimeout: TASK_DRAIN.stopTimeout.toSeconds() })],
      });
    });
  });

  describe('Lambda concurrency guard', () => {
    it('reserves lambdaConcurrency (10) on every pattern function behind the ALB', () => {
      const functions = patternFunctions(stateless);
      expect(functions).toHaveLength(lambdaCount);
      expect(functions.map(([, fn]) => fn.Properties.ReservedConcurrentExecutions)).toEqual(Array(lambdaCount).fill(10));
    });

    it('leaves the regional writers without a reservation (DynamoDB only, IAM-authenticated, every Region\'s pool)', () => {
      for (const stack of synthesized.stacks.regional) {
        const [[, fn]] = resources(synthesized.template(`regional:${stack.region}`), 'AWS::Lambda::Function', {
          Properties: { Environment: { Variables: Match.objectLike({ GLOBAL_TABLE_NAME: Match.anyValue() }) } },
        });
        expect(fn.Properties.ReservedConcurrentExecutions).toBeUndefined();
      }
    });
  });

  describe('RDS Proxy', () => {
    const [[proxyId, proxy]] = resources(data, 'AWS::RDS::DBProxy');
    const [[primaryId]] = resources(data, 'AWS::RDS::DBInstance', { Properties: { SourceDBInstanceIdentifier: Match.absent() } });

    it('requires TLS and logs in with the application role\'s secret only', () => {
      expect(proxy.Properties).toMatchObject({ EngineFamily: 'POSTGRESQL', RequireTLS: true });
      expect(JSON.stringify(proxy.Properties.Auth)).toMatch(/AppRoleSecretAttachment/);
      expect(proxy.Properties.Auth).toHaveLength(1);
    });

    it('targets the primary only, with the share of connections the budget counts', () => {
      data.hasResourceProperties('AWS::RDS::DBProxyTargetGroup', {
        DBProxyName: { Ref: proxyId },
        DBInstanceIdentifiers: [{ Ref: primaryId }],
        ConnectionPoolConfigurationInfo: Match.objectLike({ MaxConnectionsPercent: PROXY_MAX_CONNECTIONS_PERCENT }),
      });
    });

    it('sits in the isolated subnets of the database', () => {
      const [[, subnetGroup]] = resources(data, 'AWS::RDS::DBSubnetGroup');
      expect(proxy.Properties.VpcSubnetIds).toEqual(subnetGroup.Properties.SubnetIds);
      expect(JSON.stringify(proxy.Properties.VpcSubnetIds)).toMatch(/dataSubnet/);
    });

    it('is reachable only from the Lambda tier\'s security group', () => {
      const [proxySg] = (proxy.Properties.VpcSecurityGroupIds as Array<{ 'Fn::GetAtt': [string, string] }>).map((ref) => ref['Fn::GetAtt'][0]);
      const toProxy = resources(stateless, 'AWS::EC2::SecurityGroupIngress').filter(([, rule]) => JSON.stringify(rule.Properties.GroupId).includes(proxySg));
      expect(toProxy).toHaveLength(1);
      expect(JSON.stringify(toProxy[0][1].Properties.SourceSecurityGroupId)).toMatch(/LambdaTierSecurityGroup/);
      expect(resources(data, 'AWS::EC2::SecurityGroupIngress').filter(([, rule]) => JSON.stringify(rule.Properties.GroupId).includes(proxySg))).toEqual([]);
    });

    it('carries the Lambda tier\'s primary traffic (pool of 1); the Fargate tier and the replicas stay direct', () => {
      const databaseFunctions = patternFunctions(stateless).filter(([, fn]) => environmentOf(fn).DB_PRIMARY_HOST !== undefined);
      expect(databaseFunctions.length).toBe(4);
      for (const [, fn] of databaseFunctions) {
        const env = environmentOf(fn);
        expect(JSON.stringify(env.DB_PRIMARY_HOST)).toMatch(/PrimaryProxy/);
        expect(env.DB_POOL_MAX).toBe(String(LAMBDA_DB_POOL_MAX));
        expect(JSON.stringify(env.DB_REPLICAS)).toMatch(/DatabaseReplica1.*DatabaseReplica2/);
      }
      const container = containerEnvironment(stateless);
      expect(JSON.stringify(container.DB_PRIMARY_HOST)).toMatch(/DatabasePrimary/);
      expect(JSON.stringify(container.DB_PRIMARY_HOST)).not.toMatch(/Proxy/);
      expect(container.DB_POOL_MAX).toBe(String(FARGATE_DB_POOL_MAX));
    });
  });

  describe('application role', () => {
    it('gives both tiers the app secret as DB_SECRET_ARN and never the master secret', () => {
      const container = containerEnvironment(stateless);
      expect(JSON.stringify(container.DB_SECRET_ARN)).toMatch(/AppRoleSecretAttachment/);
      for (const [, fn] of patternFunctions(stateless).filter(([, f]) => environmentOf(f).DB_SECRET_ARN !== undefined)) {
        expect(JSON.stringify(environmentOf(fn).DB_SECRET_ARN)).toMatch(/AppRoleSecretAttachment/);
      }
      const text = JSON.stringify(stateless.toJSON());
      expect(text).not.toMatch(/DatabasePrimarySecret/);
      expect(text).not.toMatch(/DB_MASTER_SECRET_ARN/);
    });

    it('lets only the migration function read the master secret (rotation runs from its own application)', () => {
      const readers = resources(data, 'AWS::IAM::Policy').filter(([, policy]) => JSON.stringify(policy.Properties.PolicyDocument).match(/"DatabasePrimarySecretAttachment/));
      expect(readers.map(([, policy]) => JSON.stringify(policy.Properties.Roles))).toEqual([expect.stringMatching(/AppRoleMigrationRole/)]);
      const [[, migration]] = resources(data, 'AWS::Lambda::Function', { Properties: { Environment: { Variables: Match.objectLike({ DB_MASTER_SECRET_ARN: Match.anyValue() }) } } });
      const env = environmentOf(migration);
      expect(JSON.stringify(env.DB_PRIMARY_HOST)).toMatch(/DatabasePrimary.*Endpoint\.Address/);
      expect(JSON.stringify(env.DB_APP_SECRET_ARN)).toMatch(/AppRoleSecretAttachment/);
      expect(migration.Properties.VpcConfig).toBeDefined();
    });

    it('runs the migration as a deploy-time trigger after the primary and the secrets, before the app secret rotates', () => {
      const [[triggerId, trigger]] = resources(data, 'Custom::Trigger');
      expect(JSON.stringify(trigger.Properties.HandlerArn)).toMatch(/AppRoleMigration/);
      expect(trigger.DependsOn).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^DatabasePrimary[0-9A-F]{8}$/),
          expect.stringMatching(/^AppRoleSecretAttachment/),
          // the network path from the migration function to the primary
          expect.stringMatching(/^AppRoleMigrationToDatabase/),
        ]),
      );
      const schedules = resources(data, 'AWS::SecretsManager::RotationSchedule').filter(([id]) => id.startsWith('AppRole'));
      expect(schedules).toHaveLength(1);
      expect(schedules[0][1].DependsOn).toEqual(expect.arrayContaining([triggerId]));
    });
  });

  describe('alarms', () => {
    it('alarms on replica lag, connections, the proxy, 5xx rate, p99, throttles and Fargate at max, without actions', () => {
      const alarms = resources(stateless, 'AWS::CloudWatch::Alarm');
      const ids = alarms.map(([id]) => id.replace(/[0-9A-F]{8}$/, '')).sort();
      expect(ids).toEqual([
        'AlarmsFargateAtMaxTasks',
        'AlarmsHttp5xxRate',
        'AlarmsLambdaThrottles',
        'AlarmsPrimaryConnections',
        'AlarmsProxyClientConnections',
        'AlarmsReplica1Connections',
        'AlarmsReplica1Lag',
        'AlarmsReplica2Connections',
        'AlarmsReplica2Lag',
        'AlarmsTargetResponseTimeP99',
      ]);
      for (const [, alarm] of alarms) expect(alarm.Properties.AlarmActions).toBeUndefined();
      stateless.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'DatabaseConnections', Threshold: 67 });
      stateless.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'RunningTaskCount', Namespace: 'ECS/ContainerInsights', Threshold: SCALING_POLICY.fargateMaxTasks });
      stateless.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'TargetResponseTime', ExtendedStatistic: 'p99' });
      stateless.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ClientConnections', Threshold: 40 });
      stateless.resourceCountIs('AWS::SNS::Topic', 0);
    });
  });
});

describe('Scale and pool (lambdaConcurrency=0, alarmEmail)', () => {
  const synthesized = synthPatterns({ lambdaConcurrency: '0', alarmEmail: 'ops@example.com' });
  const stateless = synthesized.template('stateless');

  it('reserves nothing, and the Lambda tier reads through the proxy, which then bounds it (with a warning)', () => {
    Annotations.fromStack(synthesized.stacks.stateless).hasWarning(
      '/Patterns-Stateless/LambdaTier',
      Match.stringLikeRegexp('lambdaConcurrency=0: nothing bounds the Lambda environments'),
    );
    for (const [, fn] of patternFunctions(stateless)) {
      expect(fn.Properties.ReservedConcurrentExecutions).toBeUndefined();
      const env = environmentOf(fn);
      if (env.DB_PRIMARY_HOST !== undefined) expect(env.DB_REPLICAS).toBe('');
    }
  });

  it('emails every alarm through one SNS topic', () => {
    stateless.resourceCountIs('AWS::SNS::Topic', 1);
    stateless.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
    for (const [, alarm] of resources(stateless, 'AWS::CloudWatch::Alarm')) {
      expect(JSON.stringify(alarm.Properties.AlarmActions)).toMatch(/AlarmsTopic/);
    }
  });
});

describe('Scale and pool (dbProxy=false)', () => {
  const synthesized = synthPatterns({ dbProxy: 'false' });

  it('has no proxy; the Lambda tier reaches the primary directly', () => {
    synthesized.template('data').resourceCountIs('AWS::RDS::DBProxy', 0);
    const stateless = synthesized.template('stateless');
    stateless.resourceCountIs('AWS::CloudWatch::Alarm', 9);
    for (const [, fn] of patternFunctions(stateless).filter(([, f]) => environmentOf(f).DB_PRIMARY_HOST !== undefined)) {
      expect(JSON.stringify(environmentOf(fn).DB_PRIMARY_HOST)).toMatch(/DatabasePrimary/);
    }
  });
});

describe('Scale and pool: configuration refused at synth', () => {
  it('refuses a budget the database cannot hold, in one message naming the keys and the numbers', () => {
    expect(() => synthPatterns({ dbProxy: 'false', lambdaConcurrency: '200' })).toThrow(
      [
        'Invalid configuration (1 problem):',
        '  - connection budget: got dbInstanceClass=t4g.micro fargateMaxTasks=6 lambdaConcurrency=200 dbProxy=false; allowed: a worst case within max_connections on every node. ' +
          'primary: worst case 832 > max_connections 84 (fargateMaxTasks=6 x 4 = 24; Lambda dbProxy=false, lambdaConcurrency=200 x 4 functions x 1 = 800; headroom 8); ' +
          'each read replica: worst case 832 > max_connections 84 (fargateMaxTasks=6 x 4 = 24; Lambda lambdaConcurrency=200 x 4 functions x 1 = 800; headroom 8). ' +
          'Lower fargateMaxTasks or lambdaConcurrency, set dbProxy=true, or choose a larger dbInstanceClass.',
      ].join('\n'),
    );
  });

  it('refuses the removed fargateTasks key, naming the new ones', () => {
    expect(() => synthPatterns({ fargateTasks: '4' })).toThrow(
      'fargateTasks: got "4"; allowed: unset (removed: the Fargate tier auto-scales; use fargateMinTasks, fargateMaxTasks and targetRequestsPerTask)',
    );
  });

  it('refuses fargateMinTasks above fargateMaxTasks', () => {
    expect(() => synthPatterns({ fargateMinTasks: '5', fargateMaxTasks: '3' })).toThrow('fargateMinTasks: got "5"; allowed: at most fargateMaxTasks (3)');
  });
});
