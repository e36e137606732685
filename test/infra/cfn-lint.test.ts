import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { synthPatterns } from '../support/synth-patterns';

/** cfn-lint exit codes are bit flags: 2 = errors, 4 = warnings, 8 = informational; 1 = cfn-lint itself failed. */
const CFN_LINT_ERRORS = 2;

function cfnLintVersion(): string | undefined {
  const result = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
  return result.error === undefined && result.status === 0 ? result.stdout.trim() : undefined;
}

describe('cfn-lint over the synthesized templates', () => {
  const version = cfnLintVersion();

  it('is installed (it is preinstalled on CI machines; install it with `pip install cfn-lint` elsewhere)', () => {
    expect({ cfnLint: version ?? 'NOT FOUND on PATH: this check cannot run, install cfn-lint' }).toEqual({
      cfnLint: expect.stringMatching(/^cfn-lint \d+\./),
    });
  });

  it.each([
    ['defaults', {}],
    ['every toggle on', { dbReplication: 'sync', globalConsistency: 'strong', sticky: 'app', stickyCookieName: 'SESSION', sessionStore: 'cookie', readReplicas: '0', edge: 'none', certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc-123', interfaceEndpoints: 'true', lambdaConcurrency: '0', alarmEmail: 'ops@example.com', budgetMonthlyUsd: '250', fargateMinTasks: '1', fargateMaxTasks: '3' }],
    ['without the proxy, edge=none over plain HTTP, no WAF', { dbProxy: 'false', edge: 'none', waf: 'false' }],
    ['a primary Region other than us-east-1 (web ACL stack in us-east-1)', { primaryRegion: 'eu-west-1', replicaRegions: 'eu-west-2' }],
  ])('reports zero errors with %s', (_name, context) => {
    if (version === undefined) throw new Error('cfn-lint is not installed (see the test above); refusing to pass without linting');
    // Prepare
    const directory = synthPatterns(context as Record<string, string>).templateDirectory();
    const templates = fs
      .readdirSync(directory)
      .filter((file) => file.endsWith('.template.json'))
      .map((file) => path.join(directory, file));

    // Act
    const result = spawnSync('cfn-lint', ['--format', 'parseable', ...templates], { encoding: 'utf8' });

    // Assess
    const errors = result.stdout.split('\n').filter((line) => /:E\d{4}:/.test(line));
    // network, data, global table, stateless, one regional stack per Region, and the us-east-1 web ACL
    // and edge-log stacks when the primary Region is elsewhere.
    const c = context as Record<string, string>;
    const regions = 1 + (c.replicaRegions ?? 'us-east-2,us-west-2').split(',').length;
    expect(templates.length).toBe(4 + regions + (c.primaryRegion !== undefined && c.primaryRegion !== 'us-east-1' ? 2 : 0));
    expect(errors).toEqual([]);
    expect(result.status === null ? 'killed' : result.status & (CFN_LINT_ERRORS | 1)).toBe(0);
  });
});
