/**
 * The `localstack` profile (`-c profile=localstack`): only what LocalStack's free tier emulates
 * (DynamoDB global table, Lambda with Function URLs), the same writers as the full app, and clean
 * under cfn-lint and cdk-nag like the default profile. Also keeps the e2e suite's stack and output
 * names in step with the app.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AppConfigError, parseAppConfig } from '../../lib/config/app-config';
import { addAppStacks, addPatternStacks, LOCALSTACK_TABLE_NAME, STACK_PREFIX } from '../../lib/patterns-app';
import { OUTPUT, parseStackOutputs, REGIONAL_STACK_PREFIX, STACK_PREFIX as E2E_STACK_PREFIX, STATELESS_STACK } from '../../e2e/targets/stack-outputs';
import { appContext, normalizeTemplate, synthPatterns } from '../support/synth-patterns';

/** Resource types the profile may contain: LocalStack free tier (DynamoDB, Lambda, IAM, Logs). */
const ALLOWED_TYPES = new Set([
  'AWS::DynamoDB::GlobalTable',
  'AWS::Lambda::Function',
  'AWS::Lambda::Url',
  'AWS::Lambda::Permission',
  'AWS::IAM::Role',
  'AWS::IAM::Policy',
  'AWS::Logs::LogGroup',
  'AWS::CDK::Metadata',
]);
const PAID_TIER_TYPES = /^AWS::(RDS|ElastiCache|ElasticLoadBalancingV2|ECS|EC2|SecretsManager)::/;

function synthLocalStack(overrides: Record<string, string> = {}) {
  const app = new App({
    context: appContext({ profile: 'localstack', ...overrides }),
    outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'patterns-localstack-')),
  });
  const added = addAppStacks(app, parseAppConfig((key) => app.node.tryGetContext(key)));
  if (added.profile !== 'localstack') throw new Error(`expected the localstack profile, got ${added.profile}`);
  const stacks: Stack[] = [added.stacks.globalTable, ...added.stacks.regional];
  return { app, stacks, templates: stacks.map((stack) => Template.fromStack(stack).toJSON()) };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Replaces every reference to the table (an export or a cross-Region output, an ARN built from its name, the name) with '<table>'. */
function withoutTableReference(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTableReference);
  if (isObject(value)) {
    const text = JSON.stringify(value);
    if ('Fn::ImportValue' in value || 'Fn::GetStackOutput' in value || ('Fn::Join' in value && text.includes(':dynamodb:'))) return '<table>';
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, withoutTableReference(inner)]));
  }
  return value === LOCALSTACK_TABLE_NAME ? '<table>' : value;
}

function resourceTypes(template: Record<string, unknown>): string[] {
  return Object.values((template.Resources ?? {}) as Record<string, { Type: string }>).map((resource) => resource.Type);
}

describe('profile=localstack', () => {
  const synthesized = synthLocalStack();

  it('synthesizes only the global table stack and one writer stack per Region', () => {
    expect(synthesized.stacks.map((stack) => [stack.stackName, stack.region])).toEqual([
      ['Patterns-GlobalTable', 'us-east-1'],
      ['Patterns-Regional-us-east-1', 'us-east-1'],
      ['Patterns-Regional-us-east-2', 'us-east-2'],
      ['Patterns-Regional-us-west-2', 'us-west-2'],
    ]);
    expect(synthesized.app.node.children.filter(Stack.isStack).map((child) => child.node.id).sort()).toEqual([
      'Patterns-GlobalTable',
      'Patterns-Regional-us-east-1',
      'Patterns-Regional-us-east-2',
      'Patterns-Regional-us-west-2',
    ]);
  });

  it('holds no resource of a paid LocalStack tier (no VPC, RDS, ElastiCache, ALB, ECS, Secrets Manager)', () => {
    // Act
    const types = [...new Set(synthesized.templates.flatMap(resourceTypes))].sort();

    // Assess
    expect(types.filter((type) => PAID_TIER_TYPES.test(type))).toEqual([]);
    expect(types.filter((type) => !ALLOWED_TYPES.has(type))).toEqual([]);
    expect(types).toEqual(expect.arrayContaining(['AWS::DynamoDB::GlobalTable', 'AWS::Lambda::Function', 'AWS::Lambda::Url']));
  });

  it('names the table, so that writers reference their Region by ARN, never across stacks or Regions', () => {
    // Prepare
    const [table, ...regional] = synthesized.templates;

    // Assess
    expect(JSON.stringify(synthesized.templates)).not.toMatch(/Fn::GetStackOutput|Fn::ImportValue|Custom::CrossRegion/);
    Template.fromJSON(table).hasResourceProperties('AWS::DynamoDB::GlobalTable', { TableName: LOCALSTACK_TABLE_NAME });
    synthesized.stacks.slice(1).forEach((stack, i) => {
      const template = Template.fromJSON(regional[i]);
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: { GLOBAL_TABLE_NAME: LOCALSTACK_TABLE_NAME, GLOBAL_CONSISTENCY: 'eventual', PATTERN_TIER: 'lambda' } },
      });
      expect(JSON.stringify(regional[i])).toContain(`:dynamodb:${stack.region}:`);
      expect(stack.dependencies.map((dependency) => dependency.stackName)).toEqual(['Patterns-GlobalTable']);
    });
  });

  it('deploys the same writers as the full app, but for how they name the table', () => {
    // Prepare
    const full = synthPatterns();

    // Assess
    for (const stack of synthesized.stacks.slice(1)) {
      const profile = Template.fromStack(stack);
      profile.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'AWS_IAM' });
      profile.hasOutput(OUTPUT.multiMasterUrl, {});
      expect(withoutTableReference(normalizeTemplate(profile.toJSON()))).toEqual(
        withoutTableReference(normalizeTemplate(full.template(`regional:${stack.region}`).toJSON())),
      );
    }
  });

  it('passes cfn-lint with zero errors, like the default profile', () => {
    // Prepare
    const assembly = synthesized.app.synth();
    const templates = fs
      .readdirSync(assembly.directory)
      .filter((file) => file.endsWith('.template.json'))
      .map((file) => path.join(assembly.directory, file));
    const version = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
    if (version.error !== undefined || version.status !== 0) throw new Error('cfn-lint is not installed (pip install cfn-lint); refusing to pass without linting');

    // Act
    const result = spawnSync('cfn-lint', ['--format', 'parseable', ...templates], { encoding: 'utf8' });

    // Assess
    expect(templates.length).toBe(4);
    expect(result.stdout.split('\n').filter((line) => /:E\d{4}:/.test(line))).toEqual([]);
    expect(result.status === null ? 'killed' : result.status & 3).toBe(0);
  });

  it('leaves no cdk-nag AwsSolutions finding, without any acknowledgement', () => {
    // Act
    const report = new AwsSolutionsChecks(synthesized.app).validateScope(synthesized.app);

    // Assess
    expect(report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath ?? r.resourceLogicalId}`))).toEqual([]);
  });

  it('refuses to build the full app when the profile says localstack (an entry point that ignores the profile)', () => {
    // Prepare
    const app = new App({ context: appContext({ profile: 'localstack' }) });
    const { config } = parseAppConfig((key) => app.node.tryGetContext(key));

    // Act
    const act = () => addPatternStacks(app, config);

    // Assess
    expect(act).toThrow(AppConfigError);
    expect(act).toThrow(
      'profile: got "localstack"; allowed: full here (build the app with addAppStacks to synthesize the localstack profile)',
    );
  });
});

describe('profile=full (default) through addAppStacks', () => {
  it('builds every stack, as addPatternStacks does', () => {
    const app = new App({ context: appContext() });
    const added = addAppStacks(app, parseAppConfig((key) => app.node.tryGetContext(key)));
    expect(added.profile).toBe('full');
    expect(app.node.children.filter(Stack.isStack).map((child) => child.node.id).sort()).toEqual([
      'Patterns-Data',
      'Patterns-GlobalTable',
      'Patterns-Network',
      'Patterns-Regional-us-east-1',
      'Patterns-Regional-us-east-2',
      'Patterns-Regional-us-west-2',
      'Patterns-Stateless',
    ]);
  });
});

describe('the e2e suite reads the outputs the app declares', () => {
  it('uses the stack prefix and the output names of lib/', () => {
    // Prepare
    const full = synthPatterns();

    // Assess
    expect(E2E_STACK_PREFIX).toBe(STACK_PREFIX);
    expect(full.stacks.stateless.stackName).toBe(STATELESS_STACK);
    full.template('stateless').hasOutput(OUTPUT.patternsUrl, {});
    full.template('stateless').hasOutput(OUTPUT.loadBalancerUrl, {});
    full.template('stateless').hasOutput(OUTPUT.stickySessions, { Value: 'off' });
    for (const stack of full.stacks.regional) {
      expect(stack.stackName).toBe(`${REGIONAL_STACK_PREFIX}${stack.region}`);
      full.template(`regional:${stack.region}`).hasOutput(OUTPUT.multiMasterUrl, {});
    }
  });

  it('opens PatternsUrl (the CloudFront URL), not the internal ALB, and still reads LoadBalancerUrl from an older deployment', () => {
    // Prepare
    const regional = { [`${REGIONAL_STACK_PREFIX}us-east-1`]: { [OUTPUT.multiMasterUrl]: 'https://abc.lambda-url.us-east-1.on.aws/' } };
    const need = { loadBalancer: true, deployHint: 'deploy' };
    const stateless = { [OUTPUT.stickySessions]: 'off', [OUTPUT.loadBalancerUrl]: 'http://internal-Patte-Ingre-1.us-east-1.elb.amazonaws.com' };

    // Act
    const current = parseStackOutputs({ [STATELESS_STACK]: { ...stateless, [OUTPUT.patternsUrl]: 'https://d111111abcdef8.cloudfront.net' }, ...regional }, 'o.json', need);
    const older = parseStackOutputs({ [STATELESS_STACK]: stateless, ...regional }, 'o.json', need);

    // Assess
    expect(current.loadBalancerUrl).toBe('https://d111111abcdef8.cloudfront.net');
    expect(older.loadBalancerUrl).toBe('http://internal-Patte-Ingre-1.us-east-1.elb.amazonaws.com');
  });
});
