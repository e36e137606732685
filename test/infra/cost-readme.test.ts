import * as fs from 'node:fs';
import * as path from 'node:path';
import { readmeCostBlock, README_BEGIN, README_END } from '../../lib/config/cost-report';

const ROOT = path.resolve(__dirname, '..', '..');

describe('README cost section', () => {
  it('is the block the cost model generates for the cdk.json defaults (npm run cost -- --readme)', () => {
    // Prepare
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const context = (JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;
    const begin = readme.indexOf(README_BEGIN);
    const end = readme.indexOf(README_END);

    // Act
    const generated = readmeCostBlock((key) => context[key]);

    // Assess
    expect([begin >= 0, end > begin]).toEqual([true, true]);
    expect(readme.slice(begin, end + README_END.length)).toBe(generated);
  });
});
