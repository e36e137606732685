/**
 * Synthesizes the app in-process the way `npx cdk synth -c ...` does (the repository's `cdk.json`
 * and `cdk.context.json`, the validation plugins `bin/app.ts` adds) and reads back what the CLI
 * judges: the assembly's `validation-report.json`. The CLI fails synth when any plugin report there
 * concludes `failure`, a cdk-nag warning included; so does `verdictFailures`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { parseAppConfig } from '../../lib/config/app-config';
import { addValidationPlugins } from '../../lib/nag/validation-plugins';
import { addAppStacks } from '../../lib/patterns-app';
import type { StackTemplates } from '../../scripts/change-impact';
import { appContext, cacheEntryOf, cacheTemplates } from './synth-patterns';

interface ReportViolation {
  readonly ruleName: string;
  readonly severity?: string;
  readonly violatingConstructs?: ReadonlyArray<{ readonly constructPath?: string }>;
}
export interface PluginReport {
  readonly pluginName: string;
  readonly conclusion: 'success' | 'failure';
  readonly violations: readonly ReportViolation[];
}

export interface SynthesizedConfiguration {
  /** `<plugin>: <rule> (<severity>) at <construct path>` for every violation of a failed report. */
  readonly verdictFailures: readonly string[];
  /** The same for every violation any report lists, a report that concludes `success` included. */
  readonly reportedViolations: readonly string[];
  readonly pluginReports: readonly PluginReport[];
  readonly templates: StackTemplates;
  /** `aws://account/region` by stack name. */
  readonly environments: Readonly<Record<string, string>>;
}

const describeViolations = (report: PluginReport) =>
  report.violations.flatMap((v) => (v.violatingConstructs ?? [{}]).map((c) => `${report.pluginName}: ${v.ruleName} (${v.severity ?? '?'}) at ${c.constructPath ?? '?'}`));

/** Every violation of the reports that conclude `failure`, as the CLI would list them. */
export function verdictFailures(reports: readonly PluginReport[]): string[] {
  return reports.filter((report) => report.conclusion === 'failure').flatMap(describeViolations);
}

/** The report of the app's own synth warnings (`@aws-cdk/core:annotationsInValidationReport`), each documented. */
export const ANNOTATIONS_REPORT = 'Construct Annotations';

/**
 * Every violation a policy plugin's report lists, whatever its conclusion: the CLI prints each one
 * (cfn-guard's as `ERROR`), even from a report that concludes `success`, which happened for the
 * handlers of CDK's cross-Region export custom resources. The app's own configuration warnings
 * (the annotations report) are meant to be seen and are left out.
 */
export function reportedViolations(reports: readonly PluginReport[]): string[] {
  return reports.filter((report) => report.pluginName !== ANNOTATIONS_REPORT).flatMap(describeViolations);
}

/** The validation report of an assembly directory (none: no plugin ran, nothing to fail on). */
export function readPluginReports(directory: string): PluginReport[] {
  const file = path.join(directory, 'validation-report.json');
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as { pluginReports: PluginReport[] }).pluginReports : [];
}

/** Where a run keeps the verdict of a configuration (beside its templates), or undefined outside jest. */
const verdictFileOf = (overrides: Record<string, string>) => {
  const entry = cacheEntryOf(appContext(overrides));
  return entry === undefined ? undefined : `${entry}.verdict.json`;
};

/**
 * Builds and synthesizes the app for `overrides` (given as `-c` gives them) with the CLI's plugins.
 * A configuration the app refuses throws its AppConfigError, as `bin/app.ts` exits with it.
 *
 * Once per jest run: the result is kept in the run's cache folder (see `synth-patterns.ts`), so
 * that the matrix's shards (each holds the default configuration) and the CLI comparison share
 * one synthesis of a configuration; its templates go to the same cache for the other suites.
 */
export function synthesizeAsTheCli(overrides: Record<string, string>): SynthesizedConfiguration {
  const cached = verdictFileOf(overrides);
  if (cached !== undefined && fs.existsSync(cached)) return JSON.parse(fs.readFileSync(cached, 'utf8')) as SynthesizedConfiguration;
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'patterns-verdict-'));
  const app = new App({ context: appContext(overrides), outdir });
  const added = addAppStacks(app, parseAppConfig((key) => app.node.tryGetContext(key)));
  addValidationPlugins(app);
  try {
    app.synth();
  } catch (error) {
    // In-process synth throws on a failed report; the report is on disk either way (read below).
    if (!/Validation failed/.test(String(error))) throw error;
  }
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as {
    artifacts: Record<string, { type: string; environment?: string; properties?: { templateFile?: string } }>;
  };
  const artifacts = Object.entries(manifest.artifacts).filter(([, a]) => a.type === 'aws:cloudformation:stack');
  const read = {
    pluginReports: readPluginReports(outdir),
    templates: Object.fromEntries(artifacts.map(([id, a]) => [id, JSON.parse(fs.readFileSync(path.join(outdir, a.properties!.templateFile!), 'utf8'))])),
    environments: Object.fromEntries(artifacts.map(([id, a]) => [id, a.environment ?? '?'])),
  };
  // synthPatterns builds the full profile only.
  if (added.profile === 'full') cacheTemplates(overrides, added.stacks, outdir);
  fs.rmSync(outdir, { recursive: true, force: true });
  const result = { ...read, verdictFailures: verdictFailures(read.pluginReports), reportedViolations: reportedViolations(read.pluginReports) };
  if (cached !== undefined) {
    // Through a temporary file and a rename: a shard reading it sees all or nothing.
    const temporary = `${cached}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify(result));
    fs.renameSync(temporary, cached);
  }
  return result;
}
