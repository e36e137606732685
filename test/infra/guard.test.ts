import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App } from 'aws-cdk-lib';
import { parseAppConfig } from '../../lib/config/app-config';
import { ControlTowerGuardValidator } from '../../lib/nag/control-tower-guard';
import { addPatternStacks } from '../../lib/patterns-app';
import { guardFindings } from '../support/guard-report';
import { appContext, synthPatterns } from '../support/synth-patterns';

/** Findings the constructs fix: none may come back, acknowledged or not. */
const FIXED_RULES = [
  'lambda_function_public_access_prohibited_check',
  'ecs_task_definition_nonroot_user_check',
  'ecs_task_definition_memory_hard_limit_check',
  'rds_instance_backup_enabled_check',
  'rds_instance_logging_enabled_check',
];

describe('cfn-guard (AWS Control Tower proactive controls)', () => {
  it.each([
    ['defaults (CloudFront edge, WAF)', {}],
    ['edge=none with a certificate, sync replication, alarm email (alarms with an action) and a budget', { edge: 'none', certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc-123', dbReplication: 'sync', alarmEmail: 'ops@example.com', budgetMonthlyUsd: '250' }],
  ])('leaves no unacknowledged finding with %s', (_name, context) => {
    // Prepare
    const { app } = synthPatterns(context as Record<string, string>);

    // Act
    const { unacknowledged, acknowledged } = guardFindings(app);

    // Assess
    expect(unacknowledged).toEqual([]);
    expect(acknowledged.length).toBeGreaterThan(0);
    expect(acknowledged.filter((finding) => FIXED_RULES.some((rule) => finding.startsWith(rule)))).toEqual([]);
  });

  it('does report findings when the acknowledgements are not applied (the check is live), and none of the fixed ones', () => {
    // Prepare: the same app, built without the acknowledgements
    const app = new App({ context: appContext(), outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'patterns-guard-')) });
    addPatternStacks(app, parseAppConfig((key) => app.node.tryGetContext(key)).config);

    // Act
    const { unacknowledged } = guardFindings(app);

    // Assess
    expect(unacknowledged).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^cloudwatch_log_group_retention_period_check at Patterns-/),
        expect.stringMatching(/^cloudfront_custom_ssl_certificate_check at Patterns-Stateless\/Entry\/Edge/),
      ]),
    );
    expect(unacknowledged.filter((finding) => FIXED_RULES.some((rule) => finding.startsWith(rule)))).toEqual([]);
  });
});

describe('ControlTowerGuardValidator (cfn-guard over the rule files that can match)', () => {
  it('reports exactly what the plugin reports with every Control Tower rule file, acknowledgements aside', () => {
    // Prepare: the default configuration's templates
    const { app } = synthPatterns();
    const assembly = app.synth();
    const context = { appConstruct: app, templatePaths: assembly.stacks.map((stack) => path.join(assembly.directory, stack.templateFile)) };
    const sorted = (report: { violations: readonly unknown[] }) => report.violations.map((v) => JSON.stringify(v)).sort();

    // Act
    const everyRule = new CfnGuardValidator().validate(context);
    const selected = new ControlTowerGuardValidator().validate(context);

    // Assess
    expect(everyRule.violations.length).toBeGreaterThan(0);
    expect(sorted(selected)).toEqual(sorted(everyRule));
    expect(selected.success).toBe(everyRule.success);
  });
});
