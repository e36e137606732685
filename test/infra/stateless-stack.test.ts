import { Match } from 'aws-cdk-lib/assertions';
import { VPC_NETWORK_INTERFACE_ACTIONS } from '../../lib/function/pattern-function';
import { DEPLOYED_NODE_MAJOR } from '../../lambdas/config/node-version';
import { PATTERN_METRICS, PATTERN_METRICS_NAMESPACE, PATTERN_METRICS_SERVICE } from '../../lambdas/observability/metric-names';
import { synthPatterns } from '../support/synth-patterns';

const FARGATE_TG = { TargetType: 'ip', Port: 8080 };

describe('StatelessStack: the load balancer in front of both tiers', () => {
  const defaults = synthPatterns();
  const template = defaults.template('stateless');

  it('has one internal ALB with an HTTP listener behind the CloudFront edge (edge=none: internet-facing)', () => {
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 1);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internal', Type: 'application' });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 80, Protocol: 'HTTP' });
    synthPatterns({ edge: 'none' })
      .template('stateless')
      .hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internet-facing', Type: 'application' });
  });

  it('sends everything by default to the Fargate service, health-checked on /healthz', () => {
    template.resourceCountIs('AWS::ECS::Service', 1);
    // No fixed count: auto scaling owns it (a deployment must not reset a scaled-out fleet).
    template.hasResourceProperties('AWS::ECS::Service', { DesiredCount: Match.absent(), LaunchType: 'FARGATE' });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { ...FARGATE_TG, HealthCheckPath: '/healthz' });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      DefaultActions: [{ Type: 'forward', TargetGroupArn: Match.anyValue() }],
    });
  });

  it('routes /lambda/* paths to Lambda target groups', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
      Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/lambda/whoami', '/lambda/healthz', '/lambda/work', '/lambda/', '/lambda/console/*'] } }],
    });
    const lambdaGroups = template.findResources('AWS::ElasticLoadBalancingV2::TargetGroup', { Properties: { TargetType: 'lambda' } });
    expect(Object.keys(lambdaGroups).length).toBe(defaults.stacks.stateless.lambdaTier.patterns.length);
    expect(Object.keys(lambdaGroups).length).toBeGreaterThan(0);
  });

  it('runs every pattern Lambda on the deployed Node.js version, arm64, in the VPC', () => {
    const functions = template.findResources('AWS::Lambda::Function', {
      Properties: { Environment: { Variables: Match.objectLike({ PATTERN_TIER: 'lambda' }) }, VpcConfig: Match.anyValue() },
    });
    expect(Object.keys(functions).length).toBe(defaults.stacks.stateless.lambdaTier.patterns.length);
    for (const fn of Object.values(functions) as Array<{ Properties: Record<string, unknown> }>) {
      expect(fn.Properties).toMatchObject({ Runtime: `nodejs${DEPLOYED_NODE_MAJOR}.x`, Architectures: ['arm64'] });
    }
  });

  it('keeps the failover operations off the load balancer, allowed only on the pattern database instances', () => {
    const [opsId] = Object.keys(
      template.findResources('AWS::Lambda::Function', { Properties: { Environment: { Variables: Match.objectLike({ RDS_PRIMARY_INSTANCE_ID: Match.anyValue() }) } } }),
    );
    expect(opsId).toBeDefined();
    const targets = JSON.stringify(template.findResources('AWS::ElasticLoadBalancingV2::TargetGroup'));
    expect(targets).not.toContain(opsId);
    template.resourcePropertiesCountIs('AWS::Lambda::Url', {}, 0);
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (policy) => (policy as { Properties: { PolicyDocument: { Statement: Array<{ Action: string | string[]; Resource: unknown }> } } }).Properties.PolicyDocument.Statement,
    );
    const rdsActions = statements.flatMap((statement) => [statement.Action].flat()).filter((action) => action.startsWith('rds:'));
    expect(rdsActions.sort()).toEqual(['rds:DescribeDBInstances', 'rds:PromoteReadReplica', 'rds:RebootDBInstance']);
    // The only wildcard resources in the stack: ECR authorization, the VPC-origin security-group
    // lookup, the VPC functions' network interfaces and the concurrency quota check, none of which
    // supports a resource-level permission.
    const wildcards = new Set(statements.filter((statement) => statement.Resource === '*').flatMap((statement) => [statement.Action].flat()));
    expect(wildcards).toEqual(new Set(['ec2:DescribeSecurityGroups', 'ecr:GetAuthorizationToken', 'lambda:GetAccountSettings', ...VPC_NETWORK_INTERFACE_ACTIONS]));
  });

  it('serves HTTPS and redirects HTTP when a certificate is given', () => {
    const stateless = synthPatterns({ edge: 'none', certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc-123' }).template('stateless');
    stateless.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'HTTPS',
      Certificates: [{ CertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc-123' }],
    });
    stateless.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      DefaultActions: [Match.objectLike({ Type: 'redirect', RedirectConfig: Match.objectLike({ Port: '443', Protocol: 'HTTPS' }) })],
    });
  });

  it('lets only the ALB reach the containers, and only the compute tiers reach the data stores', () => {
    // The container port is open to the ALB security group only.
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      FromPort: 8080,
      ToPort: 8080,
      SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^IngressSecurityGroup'), 'GroupId'] },
    });
    // Database, proxy and cache ports: from the Lambda tier and the Fargate tier security groups, nothing
    // else (PostgreSQL: Lambda to the proxy and to the replicas, Fargate to the instances).
    const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress')) as Array<{ Properties: Record<string, unknown> }>;
    const dataRules = ingress.filter((rule) => rule.Properties.FromPort === 5432 || rule.Properties.FromPort === 6379);
    expect(dataRules.map((rule) => rule.Properties.FromPort).sort()).toEqual([5432, 5432, 5432, 6379, 6379]);
    for (const rule of dataRules) {
      expect(rule.Properties.CidrIp).toBeUndefined();
      expect(JSON.stringify(rule.Properties.SourceSecurityGroupId)).toMatch(/LambdaTierSecurityGroup|FargateTierServiceSecurityGroup/);
    }
  });

  it('gives no secret value to any process, only secret ARNs', () => {
    // Prepare: the cookie strategy adds the session signing key to the defaults' database and Redis secrets
    const cookieTemplate = synthPatterns({ sessionStore: 'cookie' }).template('stateless').toJSON();

    // Act
    const checked = [template.toJSON(), cookieTemplate].map(processEnvironments);

    // Assess: every variable of every process read, the secrets among them seen, none leaking
    const names = new Set(checked.flatMap((envs) => envs.flatMap((e) => e.variables.map((v) => v.name))));
    for (const arn of ['DB_SECRET_ARN', 'REDIS_AUTH_SECRET_ARN', 'SESSION_SIGNING_KEY_SECRET_ARN']) expect(names.has(arn)).toBe(true);
    expect(checked.flatMap((envs) => envs.flatMap(secretLeaks))).toEqual([]);
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({ ReadonlyRootFilesystem: true, Environment: Match.arrayWith([Match.objectLike({ Name: 'DB_SECRET_ARN' })]) })],
    });
  });

  it('catches each way a secret value could reach a process (the check above is live)', () => {
    // Prepare: one process environment with every kind of leak, and the legitimate shapes beside them
    const leaky = processEnvironments({
      Resources: {
        Fn: {
          Type: 'AWS::Lambda::Function',
          Properties: {
            Environment: {
              Variables: {
                DB_PASSWORD: 'hunter2',
                SESSION_SIGNING_KEY: { Ref: 'Key' },
                REDIS_AUTH_SECRET_ARN: 'not-an-arn',
                DB_NAME: '{{resolve:secretsmanager:db:SecretString:password}}',
                DB_SECRET_ARN: { Ref: 'DbSecret' },
                OTHER_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:x',
              },
            },
          },
        },
        Task: {
          Type: 'AWS::ECS::TaskDefinition',
          Properties: { ContainerDefinitions: [{ Name: 'app', Environment: [{ Name: 'API_TOKEN', Value: 't' }], Secrets: [{ Name: 'X', ValueFrom: 'arn' }] }] },
        },
      },
    });

    // Act
    const leaks = leaky.flatMap(secretLeaks);

    // Assess
    expect(leaks).toEqual([
      'Fn: DB_PASSWORD has a secret-like name but is not an ARN variable',
      'Fn: SESSION_SIGNING_KEY has a secret-like name but is not an ARN variable',
      'Fn: REDIS_AUTH_SECRET_ARN is a literal that is not an ARN: "not-an-arn"',
      'Fn: DB_NAME resolves a secret at deploy time into the environment',
      'Task/app: API_TOKEN has a secret-like name but is not an ARN variable',
      'Task/app: injects secret values through ECS Secrets (X)',
    ]);
  });

  it('has one dashboard per pattern, showing each read replica\'s lag and the cache hit ratio', () => {
    const dashboards = template.findResources('AWS::CloudWatch::Dashboard') as Record<string, { Properties: { DashboardName: string; DashboardBody: unknown } }>;
    const byName = Object.fromEntries(Object.values(dashboards).map((d) => [d.Properties.DashboardName, JSON.stringify(d.Properties.DashboardBody)]));
    expect(Object.keys(byName).sort()).toEqual([
      'Patterns-Stateless-Alarms',
      'Patterns-Stateless-CacheAndSessions',
      'Patterns-Stateless-Edge',
      'Patterns-Stateless-MultiMaster',
      'Patterns-Stateless-ReadReplicas',
      'Patterns-Stateless-ReverseProxy',
    ]);
    expect(byName['Patterns-Stateless-ReadReplicas'].match(/ReplicaLag/g)).toHaveLength(2);
    expect(byName['Patterns-Stateless-CacheAndSessions']).toContain('100 * hits / (hits + misses)');
    expect(byName['Patterns-Stateless-MultiMaster']).toContain('us-west-2');
  });

  it('plots the application EMF metrics on the dashboards of their patterns', () => {
    // Prepare
    const dashboards = template.findResources('AWS::CloudWatch::Dashboard') as Record<string, { Properties: { DashboardName: string; DashboardBody: unknown } }>;
    const bodies = Object.values(dashboards).map((d) => JSON.stringify(d.Properties.DashboardBody));

    // Act: each metric as a CloudWatch widget names it (namespace, name, its one dimension)
    const plotted = Object.values(PATTERN_METRICS).filter((name) =>
      bodies.some((body) => body.includes(`[\\"${PATTERN_METRICS_NAMESPACE}\\",\\"${name}\\",\\"service\\",\\"${PATTERN_METRICS_SERVICE}\\"`)),
    );

    // Assess
    expect(plotted).toEqual(Object.values(PATTERN_METRICS));
  });
});

interface ProcessEnvironment {
  /** `<logical id>` of a function, `<logical id>/<container>` of a task's container. */
  readonly owner: string;
  readonly variables: ReadonlyArray<{ readonly name: string; readonly value: unknown }>;
  /** Names of ECS `Secrets` (values injected into the container's environment at start). */
  readonly injectedSecrets: readonly string[];
}

/** The environment of every Lambda function and every ECS container of a synthesized template. */
function processEnvironments(template: { Resources?: Record<string, { Type: string; Properties?: any }> }): ProcessEnvironment[] {
  const result: ProcessEnvironment[] = [];
  for (const [id, resource] of Object.entries(template.Resources ?? {})) {
    if (resource.Type === 'AWS::Lambda::Function') {
      const variables = Object.entries(resource.Properties?.Environment?.Variables ?? {}).map(([name, value]) => ({ name, value }));
      result.push({ owner: id, variables, injectedSecrets: [] });
    }
    if (resource.Type === 'AWS::ECS::TaskDefinition') {
      for (const container of resource.Properties?.ContainerDefinitions ?? []) {
        result.push({
          owner: `${id}/${container.Name}`,
          variables: (container.Environment ?? []).map((e: { Name: string; Value: unknown }) => ({ name: e.Name, value: e.Value })),
          injectedSecrets: (container.Secrets ?? []).map((e: { Name: string }) => e.Name),
        });
      }
    }
  }
  return result;
}

const SECRET_LIKE = /PASSWORD|SECRET|SIGNING_KEY|AUTH|TOKEN|API_KEY|PRIVATE_KEY/i;

/** Why a process could hold a secret value: a secret-like variable that is not an ARN, an ARN variable holding something else, a deploy-time secret reference, ECS-injected secrets. */
function secretLeaks(env: ProcessEnvironment): string[] {
  const leaks: string[] = [];
  for (const { name, value } of env.variables) {
    const isArnVariable = name.endsWith('_ARN');
    if (SECRET_LIKE.test(name) && !isArnVariable) leaks.push(`${env.owner}: ${name} has a secret-like name but is not an ARN variable`);
    else if (isArnVariable && typeof value === 'string' && !value.startsWith('arn:')) leaks.push(`${env.owner}: ${name} is a literal that is not an ARN: ${JSON.stringify(value)}`);
    if (/\{\{resolve:(secretsmanager|ssm-secure):/.test(JSON.stringify(value))) leaks.push(`${env.owner}: ${name} resolves a secret at deploy time into the environment`);
  }
  if (env.injectedSecrets.length > 0) leaks.push(`${env.owner}: injects secret values through ECS Secrets (${env.injectedSecrets.join(', ')})`);
  return leaks;
}
