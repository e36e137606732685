/**
 * Runs the cfn-guard validation plugin (AWS Control Tower proactive controls) over an app the way
 * `bin/app.ts` does, and reads back the report CDK writes: findings left, and findings acknowledged.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type App, Validations } from 'aws-cdk-lib';
import { ControlTowerGuardValidator } from '../../lib/nag/control-tower-guard';
import { CFN_GUARD_PLUGIN } from '../../lib/nag/guard-acknowledgements';

export interface GuardFindings {
  /** `<rule> at <construct path>` of every finding not acknowledged. */
  readonly unacknowledged: readonly string[];
  /** The same for acknowledged findings. */
  readonly acknowledged: readonly string[];
}

interface ReportViolation {
  readonly ruleName: string;
  readonly violatingConstructs?: ReadonlyArray<{ readonly constructPath?: string }>;
}
interface PluginReport {
  readonly pluginName: string;
  readonly violations: readonly ReportViolation[];
  readonly suppressedViolations?: readonly ReportViolation[];
}

const findings = (violations: readonly ReportViolation[] = []) =>
  violations.flatMap((v) => (v.violatingConstructs ?? [{}]).map((c) => `${v.ruleName} at ${c.constructPath ?? '?'}`)).sort();

export function guardFindings(app: App): GuardFindings {
  Validations.of(app).addPlugins(new ControlTowerGuardValidator());
  try {
    app.synth();
  } catch (error) {
    // In-memory synth throws when the plugin fails; the report is on disk either way.
    if (!/Validation/i.test(String(error))) throw error;
  }
  const file = path.join(app.outdir, 'validation-report.json');
  if (!fs.existsSync(file)) return { unacknowledged: [], acknowledged: [] };
  const report = JSON.parse(fs.readFileSync(file, 'utf8')) as { pluginReports: PluginReport[] };
  const guard = report.pluginReports.find((r) => r.pluginName === CFN_GUARD_PLUGIN);
  if (guard === undefined) throw new Error(`${file} has no ${CFN_GUARD_PLUGIN} report: the plugin did not run`);
  return { unacknowledged: findings(guard.violations), acknowledged: findings(guard.suppressedViolations) };
}
