/**
 * Every documented configuration, as a user runs it: each value of every key of the README's
 * configuration table (each enumerated value, both ends of each range, a sample of a free-form
 * value) and every `-c` example of the README, synthesized once each with the CLI's validation
 * plugins. Each must pass the verdict the CLI applies (no plugin report concluding `failure`), or be
 * refused by design with its exact message. The same synthesis predicts, with
 * `@aws-cdk/cloudformation-diff`, what each single-key change does to deployed stacks; the README's
 * "changing it on a deployed stack" column must say it.
 *
 * The configurations are split into shards (`test/infra/configuration-matrix-<n>.test.ts`), each
 * a key's configurations together with the default, so that jest runs them on every core: a
 * synthesis with both policy plugins is the most expensive step of the suite. It is the only
 * synthesis of a configuration in a run: cdk-nag reads the live construct tree, so the verdict
 * needs it, and its result and templates are kept for the run (`cli-verdict.ts`), for the other
 * shards and for the suites that read the same configuration's templates.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AppConfigError } from '../../lib/config/app-config';
import { REPO_ROOT } from '../../lib/function/handler-build';
import { exportsRemovedInUse, LOSING_OUTCOMES, predictChanges, STATEFUL_KINDS, type StatefulKind, type StackTemplates } from '../../scripts/change-impact';
import { type PluginReport, readPluginReports, synthesizeAsTheCli, type SynthesizedConfiguration, verdictFailures } from './cli-verdict';
import { type ConfigurationRow, configurationTable, documentedValues, readmeExamples } from './readme-configuration';

/** A value for each free-form key of the table (a Region, a class, an address...). */
const SAMPLES: Readonly<Record<string, string>> = {
  stickyCookieName: 'SESSION',
  primaryRegion: 'eu-west-1',
  replicaRegions: 'us-west-2',
  witnessRegion: 'us-west-2',
  dbInstanceClass: 'm6g.large',
  cacheNodeType: 'cache.t4g.small',
  alarmEmail: 'ops@example.com',
  certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc-123',
  account: '210987654321',
  availabilityZones: 'use1-az4,use1-az6',
};

/** What a value needs beside it to be valid, as the table's values column says. */
const COMPANIONS: Readonly<Record<string, Record<string, string>>> = {
  'sticky=app': { stickyCookieName: 'SESSION' },
  'witnessRegion=us-west-2': { globalConsistency: 'strong', replicaRegions: 'us-east-2' },
  'fargateMinTasks=50': { fargateMaxTasks: '50' },
  'fargateMaxTasks=1': { fargateMinTasks: '1' },
  'certificateArn=arn:aws:acm:us-east-1:123456789012:certificate/abc-123': { edge: 'none' },
  'budgetMonthlyUsd=1': { alarmEmail: 'ops@example.com' },
  'budgetMonthlyUsd=1000000': { alarmEmail: 'ops@example.com' },
};

const budget = (given: string, node: string) =>
  `connection budget: got dbInstanceClass=t4g.micro ${given}; allowed: a worst case within max_connections on every node. ${node}`;
/** Documented configurations the app refuses by design, with the start of the message it gives. */
const REFUSED: Readonly<Record<string, string>> = {
  '{"fargateMaxTasks":"50","fargateMinTasks":"50"}': budget('fargateMaxTasks=50 lambdaConcurrency=10 dbProxy=true', 'primary: worst case 250 > max_connections 84'),
  '{"fargateMaxTasks":"50"}': budget('fargateMaxTasks=50 lambdaConcurrency=10 dbProxy=true', 'primary: worst case 250 > max_connections 84'),
  '{"lambdaConcurrency":"1000"}': budget('fargateMaxTasks=6 lambdaConcurrency=1000 dbProxy=true', 'each read replica: worst case 4032 > max_connections 84'),
  '{"dbProxy":"false","lambdaConcurrency":"200"}': budget('fargateMaxTasks=6 lambdaConcurrency=200 dbProxy=false', 'primary: worst case 832 > max_connections 84'),
  '{"readReplicas":"16","sticky":"yes"}':
    'Invalid configuration (2 problems):\n  - sticky: got "yes"; allowed: off, lb, app\n  - readReplicas: got "16"; allowed: an integer from 0 to 15',
};

const canonical = (context: Record<string, string>) => JSON.stringify(Object.fromEntries(Object.entries(context).sort(([a], [b]) => a.localeCompare(b))));

const TABLE = configurationTable();

/** The single-key changes of a row: each documented (or sample) value other than the default. */
function changesOf(row: ConfigurationRow): Array<Record<string, string>> {
  const values = documentedValues(row) ?? (SAMPLES[row.key] === undefined ? [] : [SAMPLES[row.key]]);
  return values.filter((value) => value !== row.defaultValue).map((value) => ({ [row.key]: value, ...COMPANIONS[`${row.key}=${value}`] }));
}

const unique = (configurations: Array<Record<string, string>>) => [...new Map(configurations.map((c) => [canonical(c), c])).values()];

/**
 * The groups of configurations, each a key's single-key changes or one README example, dealt to
 * `shards` shards by size (largest first, to the lightest shard) so that each shard costs about the same.
 */
function shardsOf(shards: number): Array<{ rows: ConfigurationRow[]; configurations: Array<Record<string, string>> }> {
  const groups = [
    ...TABLE.map((row) => ({ rows: [row], configurations: changesOf(row) })),
    ...readmeExamples().map((example) => ({ rows: [] as ConfigurationRow[], configurations: [example] })),
  ].sort((a, b) => b.configurations.length - a.configurations.length);
  const dealt = Array.from({ length: shards }, () => ({ rows: [] as ConfigurationRow[], configurations: [{}] as Array<Record<string, string>> }));
  for (const group of groups) {
    const lightest = dealt.reduce((min, s) => (s.configurations.length < min.configurations.length ? s : min));
    lightest.rows.push(...group.rows);
    lightest.configurations.push(...group.configurations);
  }
  return dealt.map((s) => ({ rows: s.rows, configurations: unique(s.configurations) }));
}

/** Each configuration is synthesized once, by whichever test needs it first. */
const synthesized = new Map<string, SynthesizedConfiguration | AppConfigError>();
function synth(context: Record<string, string>): SynthesizedConfiguration | AppConfigError {
  const key = canonical(context);
  if (!synthesized.has(key)) {
    try {
      synthesized.set(key, synthesizeAsTheCli(context));
    } catch (error) {
      if (!(error instanceof AppConfigError)) throw error;
      synthesized.set(key, error);
    }
  }
  return synthesized.get(key)!;
}
function templatesOf(context: Record<string, string>): SynthesizedConfiguration {
  const result = synth(context);
  if (result instanceof AppConfigError) throw new Error(`${canonical(context)} was refused: ${result.message}`);
  return result;
}

const SYNTH_TIMEOUT = 180_000;

/**
 * The matrix's tests for shard `shard` (1-based) of `shards`; shard 1 also holds the checks that
 * cover the whole table and the one real `npx cdk synth`.
 */
export function describeConfigurationMatrix(shard: number, shards: number): void {
const { rows: ROWS, configurations: dealt } = shardsOf(shards)[shard - 1];
const first = shard === 1;
// Every shard holds the default configuration; shard 1 synthesizes it first and the run keeps
// the result (cli-verdict.ts), so the other shards, running beside it, check it last.
const CONFIGURATIONS = first ? dealt : [...dealt.slice(1), dealt[0]];

describe(`the CLI verdict on every documented configuration (shard ${shard} of ${shards})`, () => {
  if (first) it('covers every key of the configuration table, with a value for each free-form key', () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(29);
    expect(TABLE.filter((row) => documentedValues(row) === undefined && SAMPLES[row.key] === undefined).map((row) => row.key)).toEqual([]);
    expect(TABLE.filter((row) => changesOf(row).length === 0).map((row) => row.key)).toEqual([]);
    // The shards together hold every key and every configuration.
    const all = shardsOf(shards);
    expect(all.flatMap((s) => s.rows.map((row) => row.key)).sort()).toEqual(TABLE.map((row) => row.key).sort());
    expect(unique(all.flatMap((s) => s.configurations)).length).toBe(unique([{}, ...TABLE.flatMap(changesOf), ...readmeExamples()]).length);
  });

  it.each(CONFIGURATIONS.map((c) => [canonical(c), c] as const))('%s: passes, or is refused by design with its message', (name, context) => {
    // Act
    const result = synth(context);

    // Assess
    if (REFUSED[name] !== undefined) {
      expect(result).toBeInstanceOf(AppConfigError);
      expect((result as AppConfigError).message).toContain(REFUSED[name]);
    } else {
      expect(result instanceof AppConfigError ? result.message : result.verdictFailures).toEqual([]);
      // Nor a violation the CLI would print from a report that still concludes success.
      expect(result instanceof AppConfigError ? [] : result.reportedViolations).toEqual([]);
    }
  }, SYNTH_TIMEOUT);

  if (first) it('fails on a report that concludes failure, a cdk-nag warning included (the check is live)', () => {
    const reports = [
      { pluginName: 'AwsSolutions', conclusion: 'failure' as const, violations: [{ ruleName: 'AwsSolutions-CFR2', severity: 'warning', violatingConstructs: [{ constructPath: 'Patterns-Stateless/Entry/Edge' }] }] },
      { pluginName: 'cdk-validator-cfnguard', conclusion: 'success' as const, violations: [] },
    ];
    expect(verdictFailures(reports)).toEqual(['AwsSolutions: AwsSolutions-CFR2 (warning) at Patterns-Stateless/Entry/Edge']);
  });
});

/** Stateful kinds a change replaces, may replace or removes. */
function kindsLost(before: StackTemplates, after: StackTemplates): StatefulKind[] {
  const changes = predictChanges(before, after).filter((c) => c.statefulKind !== undefined && LOSING_OUTCOMES.includes(c.outcome));
  return [...new Set(changes.map((c) => c.statefulKind!))].sort();
}

/** Stateful kinds the README entry names (each by its STATEFUL_KINDS word). */
const kindsNamed = (entry: string) => (Object.keys(STATEFUL_KINDS) as StatefulKind[]).filter((kind) => new RegExp(`\\b${kind}s?\\b`).test(entry)).sort();

describe(`changing one key on a deployed stack, predicted by @aws-cdk/cloudformation-diff (shard ${shard} of ${shards})`, () => {
  it.each(ROWS.map((row) => [row.key, row] as const))('%s: its README entry says what the change replaces, and no replacement clashes on a fixed name', (_key, row) => {
    // Prepare
    const entry = row.onDeployedStack;
    const scenarios = changesOf(row).filter((context) => REFUSED[canonical(context)] === undefined);
    const before = templatesOf({});

    // Act
    const outcomes = scenarios.map((context) => {
      const after = templatesOf(context);
      const changes = predictChanges(before.templates, after.templates);
      return {
        clashes: changes.filter((c) => c.nameClash).map((c) => `${c.stack}/${c.logicalId} ${c.fixedName}`),
        lost: kindsLost(before.templates, after.templates),
        exportsInUse: exportsRemovedInUse(before.templates, after.templates),
      };
    });

    // Assess
    expect(entry).toMatch(/^(in place|replaces|removes|may replace|not supported)/);
    // A change that is a second deployment (another account, Region or app) creates new stacks in
    // another environment: no name there clashes with the old stacks'. Every other change updates the
    // deployed stacks, where a replacement keeping its fixed name fails.
    const elsewhere = /^not supported: .*(second deployment|another app)/.test(entry);
    expect(elsewhere ? [] : outcomes.flatMap((o) => o.clashes)).toEqual([]);
    if (entry.startsWith('not supported')) {
      expect(entry).toMatch(/^not supported[^:]*: \S/);
    } else {
      expect(kindsNamed(entry)).toEqual([...new Set(outcomes.flatMap((o) => o.lost))].sort());
      // An export still imported cannot be removed: the consumer goes first, in its own deployment.
      expect(entry.includes('--exclusively')).toBe(outcomes.some((o) => o.exportsInUse.length > 0));
    }
  }, SYNTH_TIMEOUT * 3);

  if (first) it('flags a replacement that keeps its fixed name, and not one that renames (the check is live)', () => {
    const targetGroup = (name: string, port: number) => ({
      Stack: { Resources: { Group: { Type: 'AWS::ElasticLoadBalancingV2::TargetGroup', Properties: { Name: name, Port: port } } } },
    });
    expect(predictChanges(targetGroup('fixed', 80), targetGroup('fixed', 8080)).map((c) => [c.outcome, c.nameClash])).toEqual([['replaced', true]]);
    expect(predictChanges(targetGroup('fixed', 80), targetGroup('other', 8080)).map((c) => [c.outcome, c.nameClash])).toEqual([['replaced', false]]);
  });

  if (first) it('names a lost stateful resource the README entry leaves out (the check is live)', () => {
    expect(kindsNamed('in place')).toEqual([]);
    expect(kindsNamed('replaces the cache (every cached value and Redis session)')).toEqual(['cache']);
    expect(kindsNamed('removes read replicas beyond the new count')).toEqual(['read replica']);
  });
});

describe(`stack references (shard ${shard} of ${shards})`, () => {
  it('are exports within a Region and Fn::GetStackOutput only across Regions, in every configuration of the shard', () => {
    const sameRegionWeak: string[] = [];
    const exportCarriers: string[] = [];
    for (const context of CONFIGURATIONS) {
      const result = synth(context);
      if (result instanceof AppConfigError) continue;
      for (const [stack, template] of Object.entries(result.templates)) {
        const region = result.environments[stack].split('/').pop();
        const text = JSON.stringify(template);
        for (const m of text.matchAll(/"Fn::GetStackOutput":\{[^}]*"Region":"([^"]+)"/g)) if (m[1] === region) sameRegionWeak.push(`${canonical(context)} ${stack}`);
        // A strong cross-Region reference would need CDK's export writer/reader custom resources (and
        // their Lambda handlers, which the policy checks flag): every cross-Region reference is weak.
        if (/Custom::CrossRegionExport(Writer|Reader)/.test(text)) exportCarriers.push(`${canonical(context)} ${stack}`);
      }
    }
    expect(sameRegionWeak).toEqual([]);
    expect(exportCarriers).toEqual([]);
  }, SYNTH_TIMEOUT * 4);
});

if (first) describe('npx cdk synth (the CLI itself), once', () => {
  it('agrees with the in-process verdict on a non-default configuration, writing into an absolute output folder inside the repository', () => {
    // Prepare
    const context = { waf: 'false' }; // failed through the CLI before its acknowledgement
    const outdir = fs.mkdtempSync(path.join(REPO_ROOT, 'cdk.out.verdict-'));
    const env = { ...process.env, CDK_DISABLE_VERSION_CHECK: 'true', CDK_DISABLE_CLI_TELEMETRY: 'true', AWS_EC2_METADATA_DISABLED: 'true' };

    // Act
    const cli = spawnSync('npx', ['cdk', 'synth', '--quiet', '--no-notices', '-o', outdir, '-c', 'account=123456789012', ...Object.entries(context).flatMap(([k, v]) => ['-c', `${k}=${v}`])], {
      cwd: REPO_ROOT,
      env,
      encoding: 'utf8',
      timeout: 300_000,
    });
    const reports = readPluginReports(outdir);
    fs.rmSync(outdir, { recursive: true, force: true });

    // Assess
    expect({ status: cli.status, stderr: cli.status === 0 ? '' : cli.stderr.slice(-2000) }).toEqual({ status: 0, stderr: '' });
    // Every report the CLI's assembly holds, the in-process one holds alike. (Both run CDK's
    // built-in CloudFormation Validate too; a plugin with nothing to report, as it has here, is
    // left out of the file by CDK.)
    const summary = (p: PluginReport | undefined) => p && `${p.pluginName}: ${p.conclusion}, ${p.violations.map((v) => v.ruleName).sort().join(' ')}`;
    const inProcess = templatesOf(context).pluginReports;
    expect(reports.length).toBeGreaterThan(0);
    expect(reports.map(summary)).toEqual(reports.map((p) => summary(inProcess.find((q) => q.pluginName === p.pluginName))));
    expect(verdictFailures(reports)).toEqual(verdictFailures(inProcess));
  }, 400_000);
});
}
