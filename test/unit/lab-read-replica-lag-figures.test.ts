import { countBy, isStaleRead, lagSamplesOf, lagStats, type ReadAfterWrite } from '../../lab/read-replica-lag-figures';

const read = (overrides: Partial<ReadAfterWrite>): ReadAfterWrite => ({
  status: 200, servedBy: 'replica-1', reason: 'replica', text: 'w', written: 'w', ms: 2, ...overrides,
});

describe('isStaleRead', () => {
  it('counts a 404 from a replica as stale', () => {
    expect(isStaleRead(read({ status: 404, text: undefined }))).toBe(true);
  });

  it('counts another text from a replica as stale', () => {
    expect(isStaleRead(read({ text: 'older' }))).toBe(true);
  });

  it('does not count a replica that returned the write', () => {
    expect(isStaleRead(read({}))).toBe(false);
  });

  it('never counts the primary, even on a 404', () => {
    expect(isStaleRead(read({ servedBy: 'primary', status: 404, text: undefined }))).toBe(false);
  });

  it('does not count a server error as stale', () => {
    expect(isStaleRead(read({ status: 503, text: undefined }))).toBe(false);
  });
});

describe('countBy', () => {
  it('counts occurrences of each key', () => {
    // Act
    const counts = countBy(['replica-1', 'primary', 'replica-1'], (name) => name);
    // Assess
    expect(counts).toEqual({ 'replica-1': 2, primary: 1 });
  });
});

describe('lagStats', () => {
  it('reports max and median lag in bytes and ms', () => {
    // Prepare
    const samples = [
      { atMs: 0, replica: 'replica-1', lagBytes: 100, lagMs: 10.123 },
      { atMs: 100, replica: 'replica-1', lagBytes: 300, lagMs: 420.456 },
      { atMs: 100, replica: 'replica-2', lagBytes: 200, lagMs: 30 },
    ];
    // Act
    const stats = lagStats(samples);
    // Assess
    expect(stats).toEqual({ samples: 3, maxBytes: 300, medianBytes: 200, maxMs: 420.46, medianMs: 30 });
  });

  it('reports zeros when nothing was sampled', () => {
    expect(lagStats([])).toEqual({ samples: 0, maxBytes: 0, medianBytes: 0, maxMs: 0, medianMs: 0 });
  });
});

describe('lagSamplesOf', () => {
  it('keeps reachable replicas with a known lag only', () => {
    // Prepare
    const body = {
      replicas: [
        { name: 'replica-1', reachable: true, lagBytes: 8192, lagMs: 400 },
        { name: 'replica-2', reachable: false },
        { name: 'replica-3', reachable: true, lagBytes: null, lagMs: null },
      ],
    };
    // Act
    const samples = lagSamplesOf(body, 1234);
    // Assess
    expect(samples).toEqual([{ atMs: 1234, replica: 'replica-1', lagBytes: 8192, lagMs: 400 }]);
  });
});
