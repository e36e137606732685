import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as cfninc from 'aws-cdk-lib/cloudformation-include';
import { AwsSolutionsChecks } from 'cdk-nag';
import { parseAppConfig } from '../../lib/config/app-config';
import { CDK_PROVIDER_NAG_ACKNOWLEDGEMENTS } from '../../lib/nag/nag-acknowledgements';
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
    ['no proxy, alarm email with a budget, edge=none over plain HTTP, no WAF', { dbProxy: 'false', alarmEmail: 'ops@example.com', budgetMonthlyUsd: '250', edge: 'none', waf: 'false' }],
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

/** Logical ids of CDK's own singleton providers (custom-resource handlers and their roles). */
const CDK_PROVIDER = /^(Custom[A-Za-z0-9]*CustomResourceProvider|AWS679f53fac002430cb0da5b7982bd2287)/;

/** A template with cross-stack `Fn::GetStackOutput` values (which cloudformation-include cannot read) replaced by strings. */
function withoutStackOutputs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutStackOutputs);
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  if ('Fn::GetStackOutput' in record) return 'imported-from-another-stack';
  return Object.fromEntries(Object.entries(record).map(([key, v]) => [key, withoutStackOutputs(v)]));
}

describe("cdk-nag AwsSolutions over CDK's own custom-resource handlers", () => {
  it('finds only the acknowledged findings on them when it reads the synthesized templates, where every resource is an L1', () => {
    // Prepare: the synthesized templates, included as plain L1 resources in a fresh app
    const assembly = synthPatterns().app.synth();
    const check = new App();
    for (const artifact of assembly.stacks) {
      const stack = new Stack(check, artifact.stackName, { env: { account: '123456789012', region: artifact.environment.region } });
      const file = path.join(fs.mkdtempSync(path.join(assembly.directory, 'included-')), artifact.templateFile);
      fs.writeFileSync(file, JSON.stringify(withoutStackOutputs(artifact.template)));
      const included = new cfninc.CfnInclude(stack, 'Template', { templateFile: file });
      for (const { rule, logicalIdPrefix, reason } of CDK_PROVIDER_NAG_ACKNOWLEDGEMENTS) {
        for (const logicalId of Object.keys(artifact.template.Resources).filter((id) => id.startsWith(logicalIdPrefix))) {
          Validations.of(included.getResource(logicalId)).acknowledge({ id: rule, reason });
        }
      }
    }

    // Act
    const onProviders = violationsOf(check).filter((v) => CDK_PROVIDER.test(v.split('/Template/')[1] ?? ''));

    // Assess
    expect(onProviders).toEqual([]);
    expect(CDK_PROVIDER_NAG_ACKNOWLEDGEMENTS.length).toBeGreaterThan(0);
  });
});
