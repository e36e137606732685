import { parseAppConfig } from '../../lib/config/app-config';
import { WAF_LOG_GROUP_PREFIX } from '../../lib/edge/pattern-web-acl';
import { synthPatterns } from '../support/synth-patterns';

type Resources = Record<string, { Properties: Record<string, unknown> }>;

const ALL_STACKS = ['network', 'data', 'globalTable', 'stateless', 'edgeWaf', 'edgeLogs'] as const;

/** Stack name -> resource types of interest, for every stack the configuration has. */
function edgeResources(overrides: Record<string, string>) {
  const synthesized = synthPatterns(overrides);
  const where = (type: string): Array<Record<string, unknown>> =>
    ALL_STACKS.filter((name) => synthesized.stacks[name] !== undefined).flatMap((name) =>
      Object.values(synthesized.template(name).findResources(type) as Resources).map((resource) => ({ stack: name, region: synthesized.stacks[name]!.region, ...resource.Properties })),
    );
  return { synthesized, where };
}

describe('edge logs: who was blocked, by which rule, and every CloudFront request', () => {
  it('logs what the WAF blocks to an aws-waf-logs- group beside the web ACL, with a retention, blocked and counted requests only', () => {
    // Act: a primary Region elsewhere puts the CLOUDFRONT web ACL in its us-east-1 stack
    const { where } = edgeResources({ primaryRegion: 'eu-west-1', replicaRegions: 'eu-west-2' });
    const [logging] = where('AWS::WAFv2::LoggingConfiguration');
    const wafGroups = where('AWS::Logs::LogGroup').filter((group) => String(group.LogGroupName).startsWith(WAF_LOG_GROUP_PREFIX));

    // Assess
    expect(wafGroups).toEqual([expect.objectContaining({ stack: 'edgeWaf', region: 'us-east-1', LogGroupName: 'aws-waf-logs-Patterns-Stateless-Edge', RetentionInDays: 14 })]);
    expect(logging).toMatchObject({
      stack: 'edgeWaf',
      LoggingFilter: { DefaultBehavior: 'DROP', Filters: [expect.objectContaining({ Behavior: 'KEEP' })] },
    });
    // The group's ARN without the `:*` suffix (WAF refuses it): ...:log-group:<the group's name>
    expect(JSON.stringify(logging.LogDestinationConfigs)).toMatch(/^\[\{"Fn::Join":\["",\["arn:aws:logs:us-east-1:123456789012:log-group:",\{"Ref":"WebAclLogs[0-9A-F]{8}"\}\]\]\}\]$/);
  });

  it('delivers CloudFront access logs (standard logging v2) to CloudWatch Logs from us-east-1, after the distribution exists', () => {
    // Act
    const elsewhere = edgeResources({ primaryRegion: 'eu-west-1', replicaRegions: 'eu-west-2' });
    const inUsEast1 = edgeResources({});

    // Assess: its own us-east-1 stack when the primary Region is elsewhere, the stateless stack otherwise
    expect(elsewhere.where('AWS::Logs::DeliverySource')).toEqual([expect.objectContaining({ stack: 'edgeLogs', region: 'us-east-1', LogType: 'ACCESS_LOGS' })]);
    expect(inUsEast1.where('AWS::Logs::DeliverySource')).toEqual([expect.objectContaining({ stack: 'stateless', region: 'us-east-1', LogType: 'ACCESS_LOGS' })]);
    expect(inUsEast1.where('AWS::Logs::Delivery')).toHaveLength(1);
    // Stack dependencies come from resolving references, which synthesis does (the templates above may come from the run's cache).
    elsewhere.synthesized.app.synth();
    expect(elsewhere.synthesized.stacks.edgeLogs!.dependencies).toContain(elsewhere.synthesized.stacks.stateless);
    const destination = inUsEast1.synthesized.template('stateless').findResources('AWS::Logs::DeliveryDestination') as Resources;
    expect(JSON.stringify(destination)).toContain(':log-group:');
  });

  it('logs the regional web ACL of edge=none beside it, and has no CloudFront logs there', () => {
    // Act
    const { where } = edgeResources({ edge: 'none' });

    // Assess
    expect(where('AWS::WAFv2::LoggingConfiguration')).toEqual([expect.objectContaining({ stack: 'stateless' })]);
    expect(where('AWS::Logs::LogGroup').filter((group) => group.LogGroupName === 'aws-waf-logs-Patterns-Stateless-Alb')).toHaveLength(1);
    expect(where('AWS::Logs::DeliverySource')).toEqual([]);
  });

  it('turns both off with edgeLogRetentionDays=0 (no us-east-1 log stack either)', () => {
    // Act
    const { synthesized, where } = edgeResources({ edgeLogRetentionDays: '0', primaryRegion: 'eu-west-1', replicaRegions: 'eu-west-2' });

    // Assess
    expect(where('AWS::WAFv2::LoggingConfiguration')).toEqual([]);
    expect(where('AWS::Logs::DeliverySource')).toEqual([]);
    expect(synthesized.stacks.edgeLogs).toBeUndefined();
  });

  it('shows the blocked requests by rule on the Edge dashboard, from the metrics and from the WAF log', () => {
    // Act
    const body = JSON.stringify(synthPatterns().template('stateless').findResources('AWS::CloudWatch::Dashboard'));

    // Assess
    expect(body).toContain('WAF: blocked requests per rule');
    expect(body).toContain("SOURCE 'aws-waf-logs-Patterns-Stateless-Edge'");
    expect(body).toContain('stats count(*) as blocked by terminatingRuleId, httpRequest.clientIp');
  });

  it.each([
    [{ edgeLogRetentionDays: '2' }, 'edgeLogRetentionDays: got "2"; allowed: 0, 1, 3, 5, 7, 14, 30, 60, 90'],
    [{ edgeLogRetentionDays: 'forever' }, 'edgeLogRetentionDays: got "forever"; allowed: 0, 1, 3, 5, 7, 14, 30, 60, 90'],
  ])('refuses %j with an exact message', (context, message) => {
    expect(() => parseAppConfig((key) => (context as Record<string, string>)[key])).toThrow(`  - ${message}`);
  });
});
