import { ProgressReporter } from '../../lab/progress';

function reporterAt(clock: { now: number }, options: { colour?: boolean; isTTY?: boolean } = {}) {
  const written: string[] = [];
  const reporter = new ProgressReporter({
    out: { write: (text: string) => written.push(text), isTTY: options.isTTY },
    colour: options.colour,
    now: () => clock.now,
  });
  return { reporter, written };
}

describe('ProgressReporter', () => {
  it('prints a header, progress lines with the time since the header, and a verdict with the key figures', () => {
    // Prepare
    const clock = { now: 1000 };
    const { reporter, written } = reporterAt(clock, { colour: false });
    // Act
    reporter.header(3, 10, { id: 'read-replica-lag', claim: 'Replicas serve stale data.' });
    clock.now = 2200;
    reporter.line('delaying replay');
    clock.now = 13_000;
    reporter.line('done');
    reporter.verdict({ holds: true, durationMs: 12_000, keyFigures: 'staleReads: without=20, with=0' });
    reporter.verdict({ holds: false, durationMs: 500, keyFigures: '' });
    reporter.verdict({ holds: false, durationMs: 500, keyFigures: '', error: 'timed out after 90 s' });
    // Assess
    expect(written.join('')).toBe(
      [
        '',
        '[3/10] read-replica-lag — Replicas serve stale data.',
        '  [  1.2s] delaying replay',
        '  [ 12.0s] done',
        '  ✔ holds (12.0 s) · staleReads: without=20, with=0',
        '  ✘ does not hold (0.5 s)',
        '  ✘ failed (0.5 s): timed out after 90 s',
        '',
      ].join('\n'),
    );
  });

  it('writes no escape sequences when the output is not a TTY (CI logs)', () => {
    // Prepare
    const { reporter, written } = reporterAt({ now: 0 }, { isTTY: false });
    // Act
    reporter.header(1, 1, { id: 'reverse-proxy-scale-out', claim: 'c' });
    reporter.verdict({ holds: true, durationMs: 1, keyFigures: 'x: 1' });
    // Assess
    expect(written.join('')).not.toContain('\u001b[');
  });

  it('colours the verdict on a TTY', () => {
    // Prepare
    const { reporter, written } = reporterAt({ now: 0 }, { colour: true });
    // Act
    reporter.verdict({ holds: false, durationMs: 1000, keyFigures: '' });
    // Assess
    expect(written.join('')).toBe('  \u001b[31m✘ does not hold (1.0 s)\u001b[0m\n');
  });
});
