/**
 * The cfn-guard validation plugin (AWS Control Tower proactive controls), run over only the rule
 * files that can match the synthesized templates.
 *
 * Why: `CfnGuardValidator` hands all 237 Control Tower rule files to one cfn-guard process, and
 * cfn-guard evaluates every rule file against every template: ~7.5 s of CPU for this app, the
 * largest single step of `cdk synth` (profile in BENCHMARKS.md). Each of those rule files selects
 * the resources it checks by their CloudFormation type (`Resources.*[ Type == 'AWS::S3::Bucket' ]`),
 * so a rule file none of whose types occurs in any template can only skip. Handing cfn-guard the
 * others gives the same report for ~45 % of the work; a rule file that names no resource type at
 * all is always kept. `test/infra/guard.test.ts` checks that both give the same report.
 *
 * And on two cores, two cfn-guard processes at once: the templates are dealt by size into two
 * groups, one checked from a worker thread while this thread checks the other (the plugin API is
 * synchronous, so this thread then waits for the worker). cfn-guard reports each template on its
 * own, so the two reports together are the one report; the Stateless template alone was two
 * thirds of the binary's time, which one process could only spend one core at a time.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import type { IPolicyValidationContextBeta1, IPolicyValidationPluginBeta1, PolicyValidationPluginReportBeta1 } from 'aws-cdk-lib';

/** The Control Tower rule files shipped with the plugin (what `controlTowerRulesEnabled` runs). */
export const CONTROL_TOWER_RULES_DIR = path.join(
  path.dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json')),
  'rules',
  'control-tower',
  'cfn-guard',
);

const RESOURCE_TYPE = /AWS::[A-Za-z0-9]+::[A-Za-z0-9]+/g;

/** Every file under `dir`, recursively, sorted. */
function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? filesUnder(path.join(dir, entry.name)) : [path.join(dir, entry.name)]))
    .sort();
}

/** The resource types of a CloudFormation template (the `Type` of each entry of `Resources`). */
export function resourceTypesOf(template: { readonly Resources?: Readonly<Record<string, { readonly Type?: unknown }>> }): string[] {
  return Object.values(template.Resources ?? {}).flatMap((resource) => (typeof resource.Type === 'string' ? [resource.Type] : []));
}

/**
 * The rule files that can report on templates holding `types`: those that name one of them, and
 * those that name no resource type at all.
 *
 * @example
 * rulesFor([{ file: 'ct-s3-pr-1.guard', text: "let b = Resources.*[ Type == 'AWS::S3::Bucket' ]" }], new Set(['AWS::Lambda::Function'])); // []
 */
export function rulesFor(rules: ReadonlyArray<{ readonly file: string; readonly text: string }>, types: ReadonlySet<string>): string[] {
  return rules
    .filter(({ text }) => {
      const named = text.match(RESOURCE_TYPE);
      return named === null || named.some((type) => types.has(type));
    })
    .map(({ file }) => file);
}

/**
 * `files` dealt into two groups of about equal total size (largest first, to the lighter group),
 * or one group when there are fewer than two.
 *
 * @example
 * twoGroupsBySize([{ file: 'a', bytes: 9 }, { file: 'b', bytes: 5 }, { file: 'c', bytes: 4 }]); // [['a'], ['b', 'c']]
 */
export function twoGroupsBySize(files: ReadonlyArray<{ readonly file: string; readonly bytes: number }>): string[][] {
  if (files.length < 2) return [files.map(({ file }) => file)];
  const groups = [{ bytes: 0, files: [] as string[] }, { bytes: 0, files: [] as string[] }];
  for (const { file, bytes } of [...files].sort((a, b) => b.bytes - a.bytes)) {
    const lighter = groups[0].bytes <= groups[1].bytes ? groups[0] : groups[1];
    lighter.files.push(file);
    lighter.bytes += bytes;
  }
  return groups.map((g) => g.files);
}

/** Runs the plugin over `templatePaths` in a worker thread; `wait()` blocks until its report is in. */
function startInWorker(rules: readonly string[], templatePaths: readonly string[]): { wait(): PolicyValidationPluginReportBeta1 } {
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const pluginModule = require.resolve('@cdklabs/cdk-validator-cfnguard');
  // Plain CommonJS, so that it runs the same under tsx, ts-jest and node.
  const worker = new Worker(
    `const { workerData } = require('node:worker_threads');
    let message;
    try {
      const { CfnGuardValidator } = require(workerData.pluginModule);
      message = { report: new CfnGuardValidator({ controlTowerRulesEnabled: false, rules: workerData.rules }).validate({ templatePaths: workerData.templatePaths }) };
    } catch (error) {
      message = { error: String((error && error.stack) || error) };
    }
    workerData.port.postMessage(message);
    Atomics.store(workerData.signal, 0, 1);
    Atomics.notify(workerData.signal, 0);`,
    // No execArgv: the worker needs no TypeScript loader (tsx's would only slow its start).
    { eval: true, execArgv: [], workerData: { pluginModule, rules, templatePaths, signal, port: port2 }, transferList: [port2] },
  );
  return {
    wait() {
      try {
        // cfn-guard's own limit is far below this; a worker that never answers is a bug, not a slow machine.
        if (Atomics.wait(signal, 0, 0, 15 * 60_000) === 'timed-out') throw new Error('cfn-guard worker gave no report in 15 minutes');
        const received = receiveMessageOnPort(port1)?.message as { report?: PolicyValidationPluginReportBeta1; error?: string } | undefined;
        if (received?.report === undefined) throw new Error(`cfn-guard worker failed: ${received?.error ?? 'no message'}`);
        return received.report;
      } finally {
        port1.close();
        void worker.terminate();
      }
    },
  };
}

/**
 * A drop-in for `new CfnGuardValidator()` (same plugin name, so acknowledgements with the
 * `cdk-validator-cfnguard::` prefix apply; same rules, same report) that runs cfn-guard over only
 * the rule files that can match the templates it is given.
 *
 * @example
 * Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ControlTowerGuardValidator());
 */
export class ControlTowerGuardValidator implements IPolicyValidationPluginBeta1 {
  private readonly all = new CfnGuardValidator();
  readonly name = this.all.name;
  readonly version = this.all.version;
  readonly ruleIds = this.all.ruleIds;
  private readonly rules = filesUnder(CONTROL_TOWER_RULES_DIR).map((file) => ({ file, text: fs.readFileSync(file, 'utf8') }));

  validate(context: IPolicyValidationContextBeta1): PolicyValidationPluginReportBeta1 {
    const types = new Set(context.templatePaths.flatMap((file) => resourceTypesOf(JSON.parse(fs.readFileSync(file, 'utf8')) as Parameters<typeof resourceTypesOf>[0])));
    const rules = rulesFor(this.rules, types);
    if (rules.length === 0) return { success: true, violations: [] };
    const groups = os.availableParallelism() < 2 ? [[...context.templatePaths]] : twoGroupsBySize(context.templatePaths.map((file) => ({ file, bytes: fs.statSync(file).size })));
    const check = (templatePaths: readonly string[]) => new CfnGuardValidator({ controlTowerRulesEnabled: false, rules }).validate({ ...context, templatePaths: [...templatePaths] });
    if (groups.length < 2) return check(context.templatePaths);
    const inWorker = startInWorker(rules, groups[1]);
    let here: PolicyValidationPluginReportBeta1 | undefined;
    let failure: unknown;
    try {
      here = check(groups[0]);
    } catch (error) {
      failure = error;
    }
    // Waited for even when this thread's check threw, so that no worker outlives the synth.
    const there = inWorker.wait();
    if (here === undefined) throw failure;
    return { success: here.success && there.success, violations: [...here.violations, ...there.violations] };
  }
}
