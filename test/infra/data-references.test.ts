/**
 * The data constructs speak aws-cdk-lib's language: each is an `ec2.IConnectable` whose
 * `connections` carry its security group and default port, offers `grantConnect`, and gives the
 * metrics the dashboards and alarms graph, with the namespace and dimensions CloudWatch uses.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { PrimaryProxy } from '../../lib/data/primary-proxy';
import { ReplicatedDatabase } from '../../lib/data/read-replica-database';
import { ValkeyCache } from '../../lib/data/valkey-cache';

function dataConstructs() {
  const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Data', { env: { account: '123456789012', region: 'us-east-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    subnetConfiguration: [
      { name: 'Public', subnetType: ec2.SubnetType.PUBLIC },
      { name: 'Compute', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      { name: 'Data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
  });
  const database = new ReplicatedDatabase(stack, 'Database', { vpc, instanceType: new ec2.InstanceType('t4g.micro'), readReplicas: 1 });
  const proxy = new PrimaryProxy(stack, 'PrimaryProxy', { vpc, primary: database.primary, secrets: [database.masterSecret] });
  const cache = new ValkeyCache(stack, 'Cache', { vpc, nodeType: 'cache.t4g.micro' });
  const role = new iam.Role(stack, 'Client', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  return { stack, database, proxy, cache, role };
}

describe('data constructs: connections, grants and metrics', () => {
  const { stack, database, proxy, cache, role } = dataConstructs();

  it('expose connections with their default ports: PostgreSQL 5432 (instances and proxy), Valkey 6379', () => {
    const ports = [database, proxy, cache].map((store) => store.connections.defaultPort?.toRuleJson());
    expect(ports).toEqual([
      { ipProtocol: 'tcp', fromPort: 5432, toPort: 5432 },
      { ipProtocol: 'tcp', fromPort: 5432, toPort: 5432 },
      { ipProtocol: 'tcp', fromPort: 6379, toPort: 6379 },
    ]);
    for (const store of [database, proxy, cache]) expect(store.connections.securityGroups).toHaveLength(1);
  });

  it('grantConnect on the cache lets the grantee read its AUTH token, and nothing else', () => {
    cache.grantConnect(role);
    const policy = role.node.findChild('DefaultPolicy').node.defaultChild as iam.CfnPolicy;
    const statements = (stack.resolve(policy.policyDocument) as { Statement: unknown[] }).Statement;
    expect(statements).toEqual([
      {
        Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        Effect: 'Allow',
        Resource: { Ref: stack.getLogicalId(cache.authSecret.node.defaultChild as never) },
      },
    ]);
  });

  it('give the cache metrics of its primary node and the proxy its client connections', () => {
    const hits = stack.resolve(cache.metric('CacheHits', { statistic: 'Sum' }).toMetricConfig().metricStat) as Record<string, unknown>;
    expect(hits).toMatchObject({
      namespace: 'AWS/ElastiCache',
      metricName: 'CacheHits',
      statistic: 'Sum',
      dimensions: [{ name: 'CacheClusterId', value: { 'Fn::Join': ['', [{ Ref: stack.getLogicalId(cache.replicationGroup) }, '-001']] } }],
    });
    const clients = stack.resolve(proxy.metricClientConnections({ statistic: 'Maximum' }).toMetricConfig().metricStat) as Record<string, unknown>;
    expect(clients).toMatchObject({ namespace: 'AWS/RDS', metricName: 'ClientConnections', statistic: 'Maximum' });
    expect(JSON.stringify(clients.dimensions)).toContain('"name":"ProxyName"');
  });
});
