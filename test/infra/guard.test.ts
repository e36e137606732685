import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { parseAppConfig } from '../../lib/config/app-config';
import { addPatternStacks } from '../../lib/patterns-app';
import { guardFindings } from '../support/guard-report';
import { appContext, synthPatterns } from '../support/synth-patterns';

/** Findings the constructs fix (issue 10): none may come back, acknowledged or not. */
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
