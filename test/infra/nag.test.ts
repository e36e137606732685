import { App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { parseAppConfig } from '../../lib/config/app-config';
import { addPatternStacks } from '../../lib/patterns-app';
import { appContext, synthPatterns } from '../support/synth-patterns';

function violationsOf(app: App): string[] {
  const report = new AwsSolutionsChecks(app).validateScope(app);
  return report.violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => `${violation.ruleName} at ${resource.constructPath ?? resource.resourceLogicalId}`),
  );
}

describe('cdk-nag AwsSolutions', () => {
  it.each([
    ['defaults', {}],
    ['sync replication, strong global table, app-cookie stickiness, cookie sessions', { dbReplication: 'sync', globalConsistency: 'strong', sticky: 'app', stickyCookieName: 'SESSION', sessionStore: 'cookie' }],
    ['no read replicas, HTTPS on the ALB (edge=none), interface endpoints', { edge: 'none', readReplicas: '0', certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc-123', interfaceEndpoints: 'true' }],
    ['edge=none over plain HTTP, no WAF', { edge: 'none', waf: 'false' }],
    ['a primary Region other than us-east-1 (web ACL in its own us-east-1 stack)', { primaryRegion: 'eu-west-1', replicaRegions: 'eu-west-2' }],
  ])('leaves no unacknowledged finding with %s', (_name, context) => {
    // Prepare
    const { app } = synthPatterns(context as Record<string, string>);

    // Act
    const violations = violationsOf(app);

    // Assess
    expect(violations).toEqual([]);
  });

  it('does report findings when the acknowledgements are not applied (the check is live)', () => {
    // Prepare: the same app, built without acknowledgeNagFindings
    const app = new App({ context: appContext() });
    addPatternStacks(app, parseAppConfig((key) => app.node.tryGetContext(key)).config);

    // Act
    const violations = violationsOf(app);

    // Assess
    expect(violations).toEqual(expect.arrayContaining([expect.stringMatching(/^AwsSolutions-CFR4 at Patterns-Stateless\/Entry\/Edge/)]));
  });
});
