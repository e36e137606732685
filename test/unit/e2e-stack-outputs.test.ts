import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  AWS_DEPLOY_HINT,
  LOCALSTACK_DEPLOY_HINT,
  parseStackOutputs,
  readStackOutputs,
} from '../../e2e/targets/stack-outputs';
import { TargetError } from '../../e2e/targets/target';

const AWS = { loadBalancer: true, deployHint: AWS_DEPLOY_HINT };
const LOCALSTACK = { loadBalancer: false, deployHint: LOCALSTACK_DEPLOY_HINT };

/** What `cdk deploy --all --outputs-file` writes for the default configuration. */
const DEPLOYED = {
  'Patterns-Network': {},
  'Patterns-Data': {},
  'Patterns-GlobalTable': {},
  'Patterns-Regional-us-west-2': { MultiMasterUrl: 'https://ccc.lambda-url.us-west-2.on.aws/' },
  'Patterns-Regional-us-east-1': { MultiMasterUrl: 'https://aaa.lambda-url.us-east-1.on.aws/' },
  'Patterns-Regional-us-east-2': { MultiMasterUrl: 'https://bbb.lambda-url.us-east-2.on.aws/' },
  'Patterns-Stateless': {
    LoadBalancerUrl: 'http://Patte-Ingre-1ABC.us-east-1.elb.amazonaws.com',
    FailoverFunctionName: 'Patterns-Stateless-Failover',
    StickySessions: 'lb:3600s',
  },
};

function messageOf(act: () => unknown): string {
  try {
    act();
  } catch (error) {
    if (error instanceof TargetError) return error.message;
    throw error;
  }
  throw new Error('expected a TargetError');
}

describe('readStackOutputs', () => {
  let dir: string;
  const file = (name: string, content: string) => {
    const full = path.join(dir, name);
    fs.writeFileSync(full, content);
    return full;
  };

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-outputs-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads the load balancer, the deployed stickiness and one writer per Region, sorted by Region', () => {
    // Act
    const outputs = readStackOutputs(file('ok.json', JSON.stringify(DEPLOYED)), AWS);

    // Assess
    expect(outputs).toEqual({
      loadBalancerUrl: 'http://Patte-Ingre-1ABC.us-east-1.elb.amazonaws.com',
      stickiness: { on: true, mode: 'lb', seconds: 3600 },
      regions: [
        { region: 'us-east-1', url: 'https://aaa.lambda-url.us-east-1.on.aws/' },
        { region: 'us-east-2', url: 'https://bbb.lambda-url.us-east-2.on.aws/' },
        { region: 'us-west-2', url: 'https://ccc.lambda-url.us-west-2.on.aws/' },
      ],
    });
  });

  it('reads a LocalStack deployment, which has no load balancer', () => {
    // Prepare
    const localstack = {
      'Patterns-GlobalTable': {},
      'Patterns-Regional-us-east-1': { MultiMasterUrl: 'http://x1.lambda-url.us-east-1.localhost.localstack.cloud:4566/' },
    };

    // Act
    const outputs = readStackOutputs(file('local.json', JSON.stringify(localstack)), LOCALSTACK);

    // Assess
    expect(outputs).toEqual({
      loadBalancerUrl: undefined,
      stickiness: undefined,
      regions: [{ region: 'us-east-1', url: 'http://x1.lambda-url.us-east-1.localhost.localstack.cloud:4566/' }],
    });
  });

  it('says how to produce a missing file', () => {
    const missing = path.join(dir, 'absent.json');
    expect(messageOf(() => readStackOutputs(missing, AWS))).toBe(
      `${missing} not found: deploy first with npx cdk deploy --all --outputs-file cdk-outputs.json`,
    );
    expect(messageOf(() => readStackOutputs(missing, LOCALSTACK))).toBe(
      `${missing} not found: deploy first with npx cdklocal deploy --all -c profile=localstack --outputs-file cdk-outputs.localstack.json`,
    );
  });

  it('names a file that cannot be read', () => {
    expect(messageOf(() => readStackOutputs(dir, AWS))).toBe(`${dir} cannot be read (EISDIR)`);
  });

  it('rejects a malformed file', () => {
    const malformed = file('bad.json', '{"Patterns-Stateless": ');
    expect(messageOf(() => readStackOutputs(malformed, AWS))).toBe(
      `${malformed} is not valid JSON: expected the file written by npx cdk deploy --all --outputs-file cdk-outputs.json`,
    );
  });

  it.each([
    [[], 'o.json holds an array, not the stack outputs written by npx cdk deploy --all --outputs-file cdk-outputs.json'],
    [null, 'o.json holds null, not the stack outputs written by npx cdk deploy --all --outputs-file cdk-outputs.json'],
    [{}, 'o.json has no outputs of the Patterns-* stacks (no stack): deploy with npx cdk deploy --all --outputs-file cdk-outputs.json'],
    [
      { Other: {} },
      'o.json has no outputs of the Patterns-* stacks (only Other): deploy with npx cdk deploy --all --outputs-file cdk-outputs.json',
    ],
    [
      { 'Patterns-GlobalTable': {} },
      'o.json: Patterns-Stateless is missing (needed: LoadBalancerUrl, StickySessions); ' +
        'no Patterns-Regional-<region> stack (needed: MultiMasterUrl per Region) (written by npx cdk deploy --all --outputs-file cdk-outputs.json)',
    ],
    [
      { 'Patterns-Stateless': { LoadBalancerUrl: 'ftp://x' }, 'Patterns-Regional-us-east-1': {} },
      'o.json: Patterns-Stateless.LoadBalancerUrl "ftp://x" is not an http(s) URL; Patterns-Stateless.StickySessions is missing; ' +
        'Patterns-Regional-us-east-1.MultiMasterUrl is missing (written by npx cdk deploy --all --outputs-file cdk-outputs.json)',
    ],
    [
      { 'Patterns-Stateless': { StickySessions: 'sometimes' }, 'Patterns-Regional-us-east-1': { MultiMasterUrl: 'not a url' } },
      'o.json: Patterns-Stateless.LoadBalancerUrl is missing; Patterns-Stateless.StickySessions "sometimes" is invalid: expected off, lb:<seconds>s or app:<seconds>s; ' +
        'Patterns-Regional-us-east-1.MultiMasterUrl "not a url" is not an http(s) URL (written by npx cdk deploy --all --outputs-file cdk-outputs.json)',
    ],
  ])('rejects %j with every problem in one exact line', (data, message) => {
    expect(messageOf(() => parseStackOutputs(data, 'o.json', AWS))).toBe(message);
  });

  it.each([
    ['off', { on: false }],
    ['app:86400s', { on: true, mode: 'app', seconds: 86400 }],
  ])('reads StickySessions %s', (value, stickiness) => {
    const outputs = parseStackOutputs({ ...DEPLOYED, 'Patterns-Stateless': { ...DEPLOYED['Patterns-Stateless'], StickySessions: value } }, 'o.json', AWS);
    expect(outputs.stickiness).toEqual(stickiness);
  });
});
