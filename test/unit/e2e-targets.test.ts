import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openAwsTarget } from '../../e2e/targets/aws';
import { localStackEndpoint, openTarget } from '../../e2e/targets';
import { deployCommands } from '../../e2e/targets/localstack';
import { TargetError } from '../../e2e/targets/target';

const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };
const quiet = () => undefined;

describe('target selection', () => {
  let dir: string;
  const outputs = (name: string, sticky: string, regions: string[]) => {
    const file = path.join(dir, name);
    const data: Record<string, Record<string, string>> = {
      'Patterns-Stateless': { LoadBalancerUrl: 'http://lb.us-east-1.elb.amazonaws.com', StickySessions: sticky },
    };
    for (const region of regions) data[`Patterns-Regional-${region}`] = { MultiMasterUrl: `https://id.lambda-url.${region}.on.aws/` };
    fs.writeFileSync(file, JSON.stringify(data));
    return file;
  };

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-targets-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('aws: both tiers behind the one load balancer, the Lambda tier under /lambda', async () => {
    // Act
    const target = await openAwsTarget({ outputsFile: outputs('a.json', 'off', ['us-east-1', 'us-west-2']), credentials: CREDENTIALS }, quiet);

    // Assess
    expect(target.tiers).toEqual({
      fargate: { tier: 'fargate', baseUrl: 'http://lb.us-east-1.elb.amazonaws.com', pathPrefix: '', expectedTierLabel: 'fargate' },
      lambda: { tier: 'lambda', baseUrl: 'http://lb.us-east-1.elb.amazonaws.com', pathPrefix: '/lambda', expectedTierLabel: 'lambda' },
    });
    expect(target.regions.map((r) => r.region)).toEqual(['us-east-1', 'us-west-2']);
    expect(target.loadBalancerCookie.test('AWSALB')).toBe(true);
    expect(target.capabilities['multi-region-replication']).toEqual({ available: true });
  });

  it('aws: checks only the deployed stickiness, and says how to check the other', async () => {
    // Act
    const off = await openAwsTarget({ outputsFile: outputs('off.json', 'off', ['us-east-1']), credentials: CREDENTIALS }, quiet);
    const on = await openAwsTarget({ outputsFile: outputs('on.json', 'app:600s', ['us-east-1']), credentials: CREDENTIALS }, quiet);

    // Assess
    expect(off.capabilities['sticky-off']).toEqual({ available: true });
    expect(off.capabilities['sticky-on']).toEqual({
      available: false,
      reason: 'stickiness is fixed at deploy time and this stack has sticky=off: redeploy with -c sticky=lb to check it',
    });
    expect(on.capabilities['sticky-on']).toEqual({ available: true });
    expect(on.capabilities['sticky-off']).toEqual({
      available: false,
      reason: 'stickiness is fixed at deploy time and this stack has sticky=app (600s): redeploy with -c sticky=off to check it',
    });
    expect(on.stickinessMode).toBe('app');
    expect(off.capabilities['multi-region-replication']).toEqual({
      available: false,
      reason: `only one Region (us-east-1) in ${path.join(dir, 'off.json')}`,
    });
  });

  it('aws: no credentials from the chain is one clear line', async () => {
    const noCredentials = async () => {
      throw new Error('Could not load credentials from any providers\n  at ...');
    };
    await expect(openAwsTarget({ outputsFile: outputs('c.json', 'off', ['us-east-1']), credentials: noCredentials }, quiet)).rejects.toThrow(
      new TargetError('no AWS credentials from the standard chain (environment, profile, SSO, instance role): Could not load credentials from any providers'),
    );
  });

  it('aws: a missing outputs file fails before anything else', async () => {
    const missing = path.join(dir, 'none.json');
    await expect(openTarget({ target: 'aws', outputsFile: missing, deploy: false, help: false }, {}, quiet)).rejects.toThrow(
      new TargetError(`${missing} not found: deploy first with npx cdk deploy --all --outputs-file cdk-outputs.json`),
    );
  });

  it.each([
    [{}, 'http://localhost:4566'],
    [{ AWS_ENDPOINT_URL: 'http://127.0.0.1:4566/' }, 'http://127.0.0.1:4566'],
    [{ LOCALSTACK_ENDPOINT: 'http://localstack:4566', AWS_ENDPOINT_URL: 'http://other:1' }, 'http://localstack:4566'],
  ])('localstack: the endpoint from %j is %s', (env, endpoint) => {
    expect(localStackEndpoint(env)).toBe(endpoint);
  });

  it('localstack: --deploy bootstraps every Region, then deploys the localstack profile', () => {
    expect(deployCommands({ outputsFile: 'out.json', regions: ['us-east-1', 'us-west-2'] })).toEqual([
      ['npx', 'cdklocal', 'bootstrap', 'aws://000000000000/us-east-1', 'aws://000000000000/us-west-2', '-c', 'profile=localstack'],
      ['npx', 'cdklocal', 'deploy', '--all', '-c', 'profile=localstack', '--require-approval', 'never', '--outputs-file', 'out.json'],
    ]);
  });
});
