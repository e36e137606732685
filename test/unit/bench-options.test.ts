import { parseBenchArgs } from '../../bench/options';
import { parseBashTimes } from '../../bench/process-tree';
import { BLOCK_END, BLOCK_START, replaceGeneratedBlock } from '../../bench/report';

describe('bench options', () => {
  it('runs every benchmark by default, in the declared order', () => {
    expect(parseBenchArgs([])).toEqual({ only: ['synth', 'bundles', 'cold-init', 'lambda-warm', 'request-paths', 'throughput', 'test-suite'], quick: false });
  });

  it('accepts --only lists in either form, and --quick', () => {
    expect(parseBenchArgs(['--only', 'bundles,synth', '--quick'])).toEqual({ only: ['synth', 'bundles'], quick: true });
    expect(parseBenchArgs(['--only=cold-init', '--only', 'cold-init'])).toEqual({ only: ['cold-init'], quick: false });
  });

  it('reports every problem at once', () => {
    expect(() => parseBenchArgs(['--only', 'synth,nope', '--fast'])).toThrow(
      /--only "nope" is unknown: expected one of synth, bundles, cold-init, lambda-warm, request-paths, throughput, test-suite\nunknown argument "--fast"/,
    );
    expect(() => parseBenchArgs(['--only'])).toThrow('--only needs a benchmark name');
  });
});

describe('bench process measurement', () => {
  it('reads the children CPU time from bash times', () => {
    expect(parseBashTimes('0m0.004s 0m0.001s\n0m8.210s 0m1.200s\n')).toBe(9410);
    expect(parseBashTimes('1m2.500s 0m0.500s\n')).toBe(63000);
    expect(parseBashTimes('nothing')).toBeUndefined();
  });
});

describe('bench report', () => {
  it('appends the generated block to a document without one', () => {
    expect(replaceGeneratedBlock('# Benchmarks\n\nProse.\n', '| a |')).toBe(`# Benchmarks\n\nProse.\n\n${BLOCK_START}\n| a |\n${BLOCK_END}\n`);
  });

  it('replaces only the generated block, keeping the prose around it', () => {
    const document = `# B\n${BLOCK_START}\nold\n${BLOCK_END}\n## Notes\nkept\n`;
    expect(replaceGeneratedBlock(document, 'new')).toBe(`# B\n${BLOCK_START}\nnew\n${BLOCK_END}\n## Notes\nkept\n`);
  });
});
