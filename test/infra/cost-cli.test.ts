import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { AppConfigError, parseAppConfig } from '../../lib/config/app-config';

const ROOT = path.resolve(__dirname, '..', '..');

/** `npm run cost -- <args>`, run as npm runs it (tsx on scripts/cost.ts), offline. */
function cost(...args: string[]) {
  const run = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/cost.ts', ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('npm run cost', () => {
  it('prints the idle table, the monthly and daily totals, and the difference from the default', () => {
    // Act
    const { status, stdout } = cost('-c', 'dbReplication=sync');

    // Assess
    expect(status).toBe(0);
    expect(stdout).toContain('RDS db.t4g.micro Multi-AZ standby');
    expect(stdout).toContain('Monthly at idle: $190.05   Daily: $6.25');
    expect(stdout).toContain('Difference from the default ($176.07): +$13.98 a month, +$0.46 a day');
  });

  it('refuses bad values with the message synth gives', () => {
    // Prepare
    let synthMessage = '';
    try {
      parseAppConfig((key) => ({ readReplicas: '16', sticky: 'yes' })[key as string]);
    } catch (error) {
      synthMessage = (error as AppConfigError).message;
    }

    // Act
    const { status, stderr } = cost('-c', 'readReplicas=16', '-c', 'sticky=yes');

    // Assess
    expect(status).toBe(1);
    expect(synthMessage).toContain('readReplicas: got "16"');
    expect(stderr.trim()).toBe(synthMessage);
  });

  it('names a class the price table lacks, with the table to extend', () => {
    // Act
    const { status, stderr } = cost('-c', 'dbInstanceClass=r6g.large');

    // Assess
    expect(status).toBe(1);
    expect(stderr).toContain('dbInstanceClass: got "r6g.large"; allowed: a class priced in lib/config/price-table.ts (DB_INSTANCE_HOURLY:');
  });
});
