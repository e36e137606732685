/**
 * The cost model counts what a configuration creates without CDK (`billableInventory`); this test
 * counts the same things in the synthesized templates, so that a stack change that adds or removes
 * something billed fails here until the model follows.
 */
import { parseAppConfig } from '../../lib/config/app-config';
import { billableInventory } from '../../lib/config/billable-inventory';
import { appContext, synthPatterns } from '../support/synth-patterns';

type Resource = { Type: string; Properties?: Record<string, any> };

type Resources = Record<string, Resource & { DeletionPolicy?: string }>;

/** Every resource of the primary-Region stacks and the us-east-1 web ACL stack (the regional writers bill nothing idle). */
function resourcesOf(overrides: Record<string, string>): Resource[] {
  const synth = synthPatterns(overrides);
  const names: Array<'network' | 'data' | 'globalTable' | 'stateless' | 'edgeWaf'> = ['network', 'data', 'globalTable', 'stateless'];
  if (synth.stacks.edgeWaf !== undefined) names.push('edgeWaf');
  return names.flatMap((name) => Object.values((synth.template(name).toJSON() as { Resources: Record<string, Resource> }).Resources));
}

/** What the templates create, in the terms of the model. */
function countedInTemplates(resources: readonly Resource[]) {
  const of = (type: string) => resources.filter((r) => r.Type === type);
  const props = (type: string) => of(type).map((r) => r.Properties ?? {});
  const [primary] = props('AWS::RDS::DBInstance').filter((p) => p.SourceDBInstanceIdentifier === undefined);
  const [cache] = props('AWS::ElastiCache::ReplicationGroup');
  const [scaling] = props('AWS::ApplicationAutoScaling::ScalableTarget');
  const [task] = props('AWS::ECS::TaskDefinition');
  const [alb] = props('AWS::ElasticLoadBalancingV2::LoadBalancer');
  const [table] = props('AWS::DynamoDB::GlobalTable');
  const albAddresses = alb.Scheme === 'internet-facing' ? alb.Subnets.length : 0;
  return {
    natGateways: of('AWS::EC2::NatGateway').length,
    publicIpv4Addresses: of('AWS::EC2::EIP').length + albAddresses,
    dbInstanceClass: String(primary.DBInstanceClass).replace(/^db\./, ''),
    dbInstances: of('AWS::RDS::DBInstance').length,
    dbStandbys: props('AWS::RDS::DBInstance').filter((p) => p.MultiAZ === true).length,
    dbStorageGb: Number(primary.AllocatedStorage),
    proxies: of('AWS::RDS::DBProxy').length,
    cacheEngine: cache.Engine,
    cacheNodeType: cache.CacheNodeType,
    cacheNodes: cache.NumCacheClusters,
    loadBalancers: of('AWS::ElasticLoadBalancingV2::LoadBalancer').length,
    fargateMinTasks: scaling.MinCapacity,
    fargateMaxTasks: scaling.MaxCapacity,
    fargateTaskVcpu: Number(task.Cpu) / 1024,
    fargateTaskGb: Number(task.Memory) / 1024,
    fargateArm64: task.RuntimePlatform.CpuArchitecture === 'ARM64',
    webAcls: of('AWS::WAFv2::WebACL').length,
    webAclRules: props('AWS::WAFv2::WebACL').reduce((sum, p) => sum + p.Rules.length, 0),
    secrets: of('AWS::SecretsManager::Secret').length,
    dashboards: of('AWS::CloudWatch::Dashboard').length,
    alarms: of('AWS::CloudWatch::Alarm').length,
    // A metric-math alarm is billed per metric it reads; a plain alarm reads one.
    alarmMetrics: props('AWS::CloudWatch::Alarm').reduce((sum, p) => sum + (p.Metrics === undefined ? 1 : p.Metrics.filter((m: any) => m.MetricStat).length), 0),
    interfaceEndpointAzs: props('AWS::EC2::VPCEndpoint')
      .filter((p) => p.VpcEndpointType === 'Interface')
      .reduce((sum, p) => sum + p.SubnetIds.length, 0),
    containerInsights: props('AWS::ECS::Cluster').some((p) => (p.ClusterSettings ?? []).some((s: any) => s.Name === 'containerInsights' && s.Value === 'enabled')),
    distributions: of('AWS::CloudFront::Distribution').length,
    globalTableRegions: table.Replicas.length,
  };
}

/** The model's inventory in the same terms. */
function countedByModel(overrides: Record<string, string>) {
  const context = appContext(overrides);
  const inventory = billableInventory(parseAppConfig((key) => context[key]).config);
  const { proxyVcpus, containerInsightsMetrics, lambdaFunctions, ...rest } = inventory;
  return { ...rest, proxies: (proxyVcpus ?? 0) > 0 ? 1 : 0, fargateArm64: true, containerInsights: containerInsightsMetrics > 0 };
}

describe('billableInventory', () => {
  it.each([
    ['the default', {}],
    [
      'every toggle turned',
      {
        dbReplication: 'sync',
        readReplicas: '0',
        dbProxy: 'false',
        natGateways: '2',
        interfaceEndpoints: 'true',
        edge: 'none',
        waf: 'false',
        cacheReplicas: '0',
        fargateMinTasks: '1',
        fargateMaxTasks: '3',
      },
    ],
  ])('counts what the synthesized templates create, for %s', (_, overrides: Record<string, string>) => {
    // Act
    const templates = countedInTemplates(resourcesOf(overrides));

    // Assess
    expect(countedByModel(overrides)).toEqual(templates);
  });
});

describe('what cdk destroy leaves behind', () => {
  /** `Type (DeletionPolicy)` of every resource CloudFormation keeps on delete, across all stacks. */
  function kept(overrides: Record<string, string>): string[] {
    const synth = synthPatterns(overrides);
    const stacks = ['network', 'data', 'globalTable', 'stateless'] as const;
    return stacks
      .flatMap((name) => Object.values((synth.template(name).toJSON() as { Resources: Resources }).Resources))
      .filter((r) => r.DeletionPolicy !== undefined && r.DeletionPolicy !== 'Delete')
      .map((r) => `${r.Type} (${r.DeletionPolicy})`)
      .sort();
  }

  it.each([
    // The README's cost section states these: a final snapshot and the table, then only the lookup's log group.
    ['snapshot', ['AWS::DynamoDB::GlobalTable (Retain)', 'AWS::Logs::LogGroup (Retain)', 'AWS::RDS::DBInstance (Snapshot)']],
    ['destroy', ['AWS::Logs::LogGroup (Retain)']],
  ])('with removalPolicy=%s keeps exactly what the README says', (removalPolicy, expected) => {
    expect(kept({ removalPolicy })).toEqual(expected);
  });
});
