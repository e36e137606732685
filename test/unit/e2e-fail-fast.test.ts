/**
 * The cloud targets fail fast when there is nothing to test: the real command line, run as a child
 * process, prints one line (no stack trace) and exits with code 2. Only 127.0.0.1 is contacted.
 */
import { spawnSync } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

function runE2e(args: string[], env: Record<string, string> = {}) {
  const started = Date.now();
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'e2e/run-e2e.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 30_000,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...env },
  });
  return { status: run.status, stdout: run.stdout, stderrLines: run.stderr.trim().split('\n'), ms: Date.now() - started };
}

/** A port on 127.0.0.1 that nothing listens on (taken, then released). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('npm run e2e on a target that is not there', () => {
  it('localstack: an unreachable endpoint is one line and exit code 2', async () => {
    // Prepare
    const endpoint = `http://127.0.0.1:${await closedPort()}`;

    // Act
    const run = runE2e(['--target', 'localstack'], { LOCALSTACK_ENDPOINT: endpoint });

    // Assess
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderrLines).toEqual([
      `e2e: LocalStack is not reachable at ${endpoint} (GET /_localstack/health: ECONNREFUSED): ` +
        'start it (LOCALSTACK_AUTH_TOKEN=<token> localstack start) or set LOCALSTACK_ENDPOINT',
    ]);
  });

  it('aws: a missing outputs file is one line and exit code 2', () => {
    // Act
    const run = runE2e(['--target', 'aws', '--outputs', 'no-such-outputs.json']);

    // Assess
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderrLines).toEqual(['e2e: no-such-outputs.json not found: deploy first with npx cdk deploy --all --outputs-file cdk-outputs.json']);
  });
});
