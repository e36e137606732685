/**
 * `npm run impact -- -c key=value ...`: what that configuration change would do to the deployed
 * stacks, predicted offline (no credentials, no network) before `cdk deploy`. Both configurations are
 * synthesized in-process from `cdk.json` and `cdk.context.json`; `--from key=value` describes what is
 * deployed today when it is not the `cdk.json` defaults.
 *
 * @example
 * npm run impact -- -c dbReplication=sync
 * npm run impact -- --from readReplicas=3 -c readReplicas=1
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { App } from 'aws-cdk-lib';
import { AppConfigError, parseAppConfig } from '../lib/config/app-config';
import { contextPairs, ContextPairError, repositoryContext } from '../lib/config/context-files';
import { addAppStacks } from '../lib/patterns-app';
import { type CfnTemplate, exportsRemovedInUse, LOSING_OUTCOMES, predictChanges, STATEFUL_KINDS, type StackTemplates, summarizeChanges } from './change-impact';

const USAGE = 'usage: npm run impact -- -c key=value [-c key=value ...] [--from key=value ...]';

/** The templates of the app under `overrides`, synthesized as `cdk synth -c ...` would (bundling skipped: code is not compared). */
function synthesize(overrides: Record<string, string>): StackTemplates {
  const context = { ...repositoryContext(), 'aws:cdk:bundling-stacks': [], ...overrides };
  const app = new App({ context, outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'patterns-impact-')) });
  addAppStacks(app, parseAppConfig((key) => app.node.tryGetContext(key)));
  const assembly = app.synth();
  const templates = Object.fromEntries(assembly.stacks.map((stack) => [stack.stackName, stack.template as CfnTemplate]));
  fs.rmSync(assembly.directory, { recursive: true, force: true });
  return templates;
}

function main(): number {
  const { values } = parseArgs({ options: { context: { type: 'string', short: 'c', multiple: true }, from: { type: 'string', multiple: true } } });
  if (values.context === undefined) {
    console.error(USAGE);
    return 2;
  }
  // The built-in template validation is the verdict's business (cdk synth), not the prediction's.
  process.env.CDK_VALIDATION = 'false';
  const from = contextPairs(values.from ?? []);
  const to = { ...from, ...contextPairs(values.context) };
  const before = synthesize(from);
  const after = synthesize(to);
  const changes = predictChanges(before, after);
  const change = Object.entries(to).map(([key, value]) => `${key}=${value}`).join(' ');
  if (changes.length === 0) {
    console.log(`${change}: no resource changes.`);
    return 0;
  }
  console.log(`${change}, per stack (in place / replaced / may be replaced / added / removed):`);
  for (const line of summarizeChanges(changes)) console.log(`  ${line}`);
  const lost = changes.filter((c) => c.statefulKind !== undefined && LOSING_OUTCOMES.includes(c.outcome));
  for (const c of lost) console.log(`stateful: ${c.stack} ${c.logicalId} ${c.outcome}: ${STATEFUL_KINDS[c.statefulKind!]}`);
  for (const inUse of exportsRemovedInUse(before, after)) {
    console.log(`two deployments: ${inUse}. Deploy that consumer first (npx cdk deploy <consumer> --exclusively -c ...), then --all.`);
  }
  for (const c of changes.filter((c) => c.nameClash)) {
    console.log(`FAILS: ${c.stack} ${c.logicalId} is replaced but keeps its fixed name (${c.fixedName}): CloudFormation creates the new one first, and the name is taken.`);
  }
  return 0;
}

try {
  process.exitCode = main();
} catch (error) {
  if (!(error instanceof AppConfigError || error instanceof ContextPairError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
