import { Annotations, Match, type Template } from 'aws-cdk-lib/assertions';
import { ENV } from '../../lambdas/config/env-names';
import { synthPatterns } from '../support/synth-patterns';

/** The managed CachingDisabled cache policy's id (CachePolicy.CACHING_DISABLED). */
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';

type Resources = Record<string, { Type: string; Properties: Record<string, unknown>; DependsOn?: string[] }>;

/** Environment of every process the ALB routes to: the Lambda tier's functions and the container. */
function servedEnvironments(template: Template): Array<Record<string, string>> {
  // The functions a Lambda target group registers (not, e.g., the deploy-time concurrency check).
  const targets = JSON.stringify(template.findResources('AWS::ElasticLoadBalancingV2::TargetGroup', { Properties: { TargetType: 'lambda' } }));
  const fromFunctions = Object.entries(template.findResources('AWS::Lambda::Function'))
    .filter(([id]) => targets.includes(`"${id}"`))
    .map(([, fn]) => (fn as { Properties: { Environment?: { Variables?: Record<string, string> } } }).Properties.Environment?.Variables ?? {});
  const fromContainers = Object.values(template.findResources('AWS::ECS::TaskDefinition')).flatMap((task) =>
    (task as { Properties: { ContainerDefinitions: Array<{ Environment?: Array<{ Name: string; Value: string }> }> } }).Properties.ContainerDefinitions.map((c) =>
      Object.fromEntries((c.Environment ?? []).map((e) => [e.Name, e.Value])),
    ),
  );
  return [...fromFunctions, ...fromContainers];
}

describe('edge=cloudfront (default): CloudFront with a VPC origin in front of an internal ALB, guarded by a web ACL', () => {
  const synthesized = synthPatterns();
  const template = synthesized.template('stateless');

  it('serves HTTPS on the default certificate, redirects HTTP, caches nothing and forwards cookies, query strings and the protocol header', () => {
    template.resourceCountIs('AWS::CloudFront::Distribution', 1);
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultCacheBehavior: Match.objectLike({
          ViewerProtocolPolicy: 'redirect-to-https',
          CachePolicyId: CACHING_DISABLED,
          AllowedMethods: Match.arrayWith(['POST', 'DELETE']),
        }),
        Origins: [Match.objectLike({ VpcOriginConfig: Match.objectLike({ VpcOriginId: Match.anyValue() }) })],
        WebACLId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EntryWebAcl'), 'Arn'] },
      }),
    });
    expect(JSON.stringify(template.findResources('AWS::CloudFront::Distribution'))).not.toContain('ViewerCertificate');
    template.hasResourceProperties('AWS::CloudFront::OriginRequestPolicy', {
      OriginRequestPolicyConfig: Match.objectLike({
        CookiesConfig: { CookieBehavior: 'all' },
        QueryStringsConfig: { QueryStringBehavior: 'all' },
        HeadersConfig: { HeaderBehavior: 'allViewerAndWhitelistCloudFront', Headers: ['CloudFront-Forwarded-Proto'] },
      }),
    });
  });

  it('reaches the ALB over a VPC origin; the ALB is internal, in private subnets, open only to the VPC-origin security group', () => {
    template.hasResourceProperties('AWS::CloudFront::VpcOrigin', {
      VpcOriginEndpointConfig: Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('^Ingress') }, OriginProtocolPolicy: 'http-only', HTTPPort: 80 }),
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internal' });
    const albGroup = Object.entries(template.findResources('AWS::EC2::SecurityGroup') as Resources).find(([id]) => id.startsWith('IngressSecurityGroup'))!;
    expect(albGroup[1].Properties.SecurityGroupIngress).toBeUndefined();
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: { 'Fn::GetAtt': [albGroup[0], 'GroupId'] },
      SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EntryEdgeVpcOriginSecurityGroup'), 'SecurityGroups.0.GroupId'] },
      FromPort: 80,
      ToPort: 80,
    });
    const openToWorld = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress') as Resources).filter((r) => r.Properties.CidrIp === '0.0.0.0/0');
    expect(openToWorld).toEqual([]);
  });

  it('looks the VPC-origin security group up by name in this VPC, after the distribution exists', () => {
    const lookups = template.findResources('Custom::AWS') as Resources;
    const [lookup] = Object.values(lookups);
    expect(JSON.stringify(lookup.Properties)).toContain('CloudFront-VPCOrigins-Service-SG');
    expect(lookup.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/^EntryEdge/)]));
  });

  it('has a CLOUDFRONT-scope web ACL with a per-IP rate rule and the Common and KnownBadInputs managed groups, all with metrics', () => {
    template.resourceCountIs('AWS::WAFv2::WebACL', 1);
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'CLOUDFRONT',
      // No literal name: CloudFormation names the ACL, so a replacement never clashes with it.
      Name: Match.absent(),
      DefaultAction: { Allow: {} },
      VisibilityConfig: { CloudWatchMetricsEnabled: true, MetricName: 'Patterns-Stateless-Edge', SampledRequestsEnabled: true },
      Rules: [
        Match.objectLike({ Name: 'RateLimitPerIp', Action: { Block: {} }, Statement: { RateBasedStatement: { Limit: 10000, AggregateKeyType: 'IP', EvaluationWindowSec: 300 } } }),
        Match.objectLike({ Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet' } } }),
        Match.objectLike({ Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesKnownBadInputsRuleSet' } } }),
      ],
    });
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
  });

  it('plots the WAF (us-east-1) and CloudFront metrics on the Edge dashboard', () => {
    const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard') as Resources);
    const edge = dashboards.find((d) => d.Properties.DashboardName === 'Patterns-Stateless-Edge');
    const body = JSON.stringify(edge?.Properties.DashboardBody);
    for (const text of ['AWS/WAFV2', 'BlockedRequests', 'RateLimitPerIp', 'AWS/CloudFront', '5xxErrorRate', 'us-east-1']) expect(body).toContain(text);
  });

  it('names the URL users open, and tells both tiers to trust CloudFront-Forwarded-Proto', () => {
    template.hasOutput('PatternsUrl', { Value: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [Match.stringLikeRegexp('^EntryEdge'), 'DomainName'] }]] } });
    const environments = servedEnvironments(template);
    expect(environments).toHaveLength(7);
    for (const env of environments) expect(env[ENV.forwardedProtoHeader]).toBe('cloudfront-forwarded-proto');
  });

  it('lets each ALB target group, and only it, invoke its function (SourceArn), and registers the function after the permission', () => {
    const resources = template.toJSON().Resources as Resources;
    const groups = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::ElasticLoadBalancingV2::TargetGroup' && r.Properties.TargetType === 'lambda');
    const permissions = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::Lambda::Permission' && r.Properties.Principal === 'elasticloadbalancing.amazonaws.com');
    expect(groups).toHaveLength(6);
    expect(permissions).toHaveLength(6);
    for (const [id, group] of groups) {
      const name = group.Properties.Name as string;
      expect(name).toMatch(/^[A-Za-z0-9-]{1,32}$/);
      const [permissionId] = permissions.find(([, p]) => p.Properties.SourceArn === `arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/${name}/*`) ?? [];
      expect({ id, permission: permissionId }).toEqual({ id, permission: expect.any(String) });
      expect(group.DependsOn).toContain(permissionId);
    }
  });
});

describe('edge=none: the internet-facing ALB with a REGIONAL web ACL', () => {
  const synthesized = synthPatterns({ edge: 'none' });
  const template = synthesized.template('stateless');

  it('has no distribution, an internet-facing ALB, and the web ACL associated with it', () => {
    template.resourceCountIs('AWS::CloudFront::Distribution', 0);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internet-facing' });
    template.hasResourceProperties('AWS::WAFv2::WebACL', { Scope: 'REGIONAL', Rules: Match.arrayWith([Match.objectLike({ Name: 'RateLimitPerIp' })]) });
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      ResourceArn: { Ref: Match.stringLikeRegexp('^Ingress') },
      WebACLArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EntryWebAcl'), 'Arn'] },
    });
    template.hasOutput('PatternsUrl', { Value: { 'Fn::Join': ['', ['http://', Match.anyValue()]] } });
  });

  it('tells both tiers to trust X-Forwarded-Proto, which the ALB overwrites', () => {
    const environments = servedEnvironments(template);
    expect(environments).toHaveLength(7);
    for (const env of environments) {
      expect(env[ENV.forwardedProtoHeader]).toBe('x-forwarded-proto');
    }
  });

  it('warns at synth time that sessions travel in clear text without a certificate', () => {
    Annotations.fromStack(synthesized.stacks.stateless).hasWarning('/Patterns-Stateless', Match.stringLikeRegexp('sessions travel in clear text'));
  });
});

describe('waf=false', () => {
  it('creates no web ACL in any stack, and warns', () => {
    const synthesized = synthPatterns({ waf: 'false' });
    const template = synthesized.template('stateless');
    template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
    expect(synthesized.stacks.edgeWaf).toBeUndefined();
    template.hasResourceProperties('AWS::CloudFront::Distribution', { DistributionConfig: Match.objectLike({ WebACLId: Match.absent() }) });
    Annotations.fromStack(synthesized.stacks.stateless).hasWarning('/Patterns-Stateless', Match.stringLikeRegexp('waf=false: no web ACL'));
  });
});

describe('a primary Region other than us-east-1', () => {
  const synthesized = synthPatterns({ primaryRegion: 'eu-west-1', replicaRegions: 'eu-west-2' });

  it('puts the CLOUDFRONT web ACL in a us-east-1 stack and hands its ARN to the distribution by a cross-Region reference', () => {
    const edgeWaf = synthesized.stacks.edgeWaf!;
    expect(edgeWaf.region).toBe('us-east-1');
    synthesized.template('edgeWaf').hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'CLOUDFRONT',
      Name: Match.absent(),
      VisibilityConfig: Match.objectLike({ MetricName: 'Patterns-Stateless-Edge' }),
    });
    const stateless = synthesized.template('stateless');
    stateless.resourceCountIs('AWS::WAFv2::WebACL', 0);
    stateless.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        WebACLId: { 'Fn::GetStackOutput': { StackName: 'Patterns-EdgeWaf', Region: 'us-east-1', OutputName: Match.anyValue() } },
      }),
    });
  });
});

describe('no lab-only route on a deployed stack', () => {
  it.each([[{}], [{ edge: 'none' }]])('never sets PATTERN_LAB_MODE (%j)', (context) => {
    const synthesized = synthPatterns(context as Record<string, string>);
    const assembly = synthesized.app.synth();
    expect(assembly.stacks.length).toBeGreaterThanOrEqual(7);
    for (const stack of assembly.stacks) expect(JSON.stringify(stack.template)).not.toContain(ENV.labMode);
  });
});
