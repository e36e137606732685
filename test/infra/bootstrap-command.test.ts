import { bootstrapCommandFor, contextOverrides } from '../../scripts/bootstrap-command';

describe('npm run bootstrap-command', () => {
  it.each([
    ['the defaults', [], 'npx cdk bootstrap aws://ACCOUNT/us-east-1 aws://ACCOUNT/us-east-2 aws://ACCOUNT/us-west-2'],
    [
      'another primaryRegion and replicaRegions (the CloudFront web ACL adds its us-east-1 stack)',
      ['-c', 'primaryRegion=eu-west-1', '-c', 'replicaRegions=eu-west-2,eu-central-1'],
      'npx cdk bootstrap aws://ACCOUNT/eu-west-1 aws://ACCOUNT/eu-west-2 aws://ACCOUNT/eu-central-1 aws://ACCOUNT/us-east-1',
    ],
    [
      'another primaryRegion without the web ACL (the CloudFront access logs still need their us-east-1 stack)',
      ['-c', 'primaryRegion=eu-west-1', '-c', 'replicaRegions=eu-west-2', '-c', 'waf=false'],
      'npx cdk bootstrap aws://ACCOUNT/eu-west-1 aws://ACCOUNT/eu-west-2 aws://ACCOUNT/us-east-1',
    ],
    [
      'another primaryRegion without the web ACL and without edge logs (nothing in us-east-1)',
      ['-c', 'primaryRegion=eu-west-1', '-c', 'replicaRegions=eu-west-2', '-c', 'waf=false', '-c', 'edgeLogRetentionDays=0'],
      'npx cdk bootstrap aws://ACCOUNT/eu-west-1 aws://ACCOUNT/eu-west-2',
    ],
    [
      'a strong table with a witnessRegion (the witness has no stack, so no bootstrap)',
      ['-c', 'globalConsistency=strong', '-c', 'replicaRegions=us-east-2', '-c', 'witnessRegion=us-west-2'],
      'npx cdk bootstrap aws://ACCOUNT/us-east-1 aws://ACCOUNT/us-east-2',
    ],
    [
      'a pinned account, given the long way',
      ['--context', 'account=111122223333', '--context=replicaRegions=us-west-2'],
      'npx cdk bootstrap aws://111122223333/us-east-1 aws://111122223333/us-west-2',
    ],
  ])('prints the Regions of every stack with %s', (_name, argv, expected) => {
    // Act
    const result = bootstrapCommandFor(argv);

    // Assess
    expect(result).toMatchObject({ code: 0, stdout: `${expected}\n` });
  });

  it('says what the command covers, and what to replace', () => {
    expect(bootstrapCommandFor(['-c', 'primaryRegion=eu-west-1', '-c', 'replicaRegions=eu-west-2']).stderr).toBe(
      'Bootstraps every Region this configuration deploys to (profile full): eu-west-1, eu-west-2, us-east-1; replace ACCOUNT with your 12-digit account id (or pass -c account=<id>).\n',
    );
  });

  it('refuses a configuration synth would refuse, with the same message', () => {
    expect(bootstrapCommandFor(['-c', 'replicaRegions=us-east-1'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'Invalid configuration (1 problem):\n  - replicaRegions: got "us-east-1"; allowed: Regions other than primaryRegion (us-east-1)\n',
    });
  });

  it('reads -c pairs as the CDK CLI does (the first = splits) and refuses anything else', () => {
    expect(contextOverrides(['-c', 'stickyCookieName=a=b', '--context=edge=none'])).toEqual({ stickyCookieName: 'a=b', edge: 'none' });
    expect(bootstrapCommandFor(['-c', 'primaryRegion'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/^-c primaryRegion: expected key=value\n/) });
    expect(bootstrapCommandFor(['--profile', 'x'])).toMatchObject({ code: 2 });
  });
});
