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
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
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
    return new CfnGuardValidator({ controlTowerRulesEnabled: false, rules }).validate(context);
  }
}
