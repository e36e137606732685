import { canonicalJson, summarizePairs, type PairOutcome, type RegionView } from '../../lab/multi-master-figures';

const view = (region: string, value: string | undefined, conflictLost = false): RegionView => ({
  region,
  status: value === undefined ? 404 : 200,
  item: value === undefined ? undefined : canonicalJson({ value }),
  value,
  conflictLost,
});

describe('summarizePairs', () => {
  it('counts an acknowledged write that survives nowhere as silently lost (last writer wins)', () => {
    // Prepare: both acknowledged, west won everywhere, east's read reports the loss.
    const pair: PairOutcome = {
      id: 'p1',
      writes: [
        { region: 'us-east-1', value: 'east', status: 201 },
        { region: 'us-west-2', value: 'west', status: 201 },
      ],
      views: [view('us-east-1', 'west', true), view('us-west-2', 'west')],
    };
    // Act
    const summary = summarizePairs([pair]);
    // Assess
    expect(summary).toEqual({
      pairs: 1,
      writesAcknowledged: 2,
      writesRefused: 0,
      writesFailed: 0,
      conflictsDetected: 1,
      updatesSilentlyLost: 1,
      converged: true,
    });
  });

  it('counts a strong-mode refusal as refused, not lost', () => {
    // Prepare
    const pair: PairOutcome = {
      id: 'p1',
      writes: [
        { region: 'us-east-1', value: 'east', status: 201 },
        { region: 'us-west-2', value: 'west', status: 409, reason: 'replicated-write-conflict' },
      ],
      views: [view('us-east-1', 'east'), view('us-west-2', 'east')],
    };
    // Act
    const summary = summarizePairs([pair]);
    // Assess
    expect(summary).toMatchObject({ writesAcknowledged: 1, writesRefused: 1, writesFailed: 0, updatesSilentlyLost: 0, converged: true });
  });

  it('counts other failures apart from refusals', () => {
    const pair: PairOutcome = {
      id: 'p1',
      writes: [
        { region: 'us-east-1', value: 'east', status: 503 },
        { region: 'us-west-2', value: 'west', status: 409, reason: 'concurrent-update' },
      ],
      views: [view('us-east-1', undefined), view('us-west-2', undefined)],
    };
    expect(summarizePairs([pair])).toMatchObject({ writesAcknowledged: 0, writesRefused: 0, writesFailed: 2, updatesSilentlyLost: 0 });
  });

  it('reports divergence when the regions hold different items or miss one', () => {
    // Prepare
    const diverged: PairOutcome = { id: 'p1', writes: [], views: [view('us-east-1', 'east'), view('us-west-2', 'west')] };
    const missing: PairOutcome = { id: 'p2', writes: [], views: [view('us-east-1', 'east'), view('us-west-2', undefined)] };
    const same: PairOutcome = { id: 'p3', writes: [], views: [view('us-east-1', 'x'), view('us-west-2', 'x')] };
    // Act / Assess
    expect(summarizePairs([same, diverged]).converged).toBe(false);
    expect(summarizePairs([same, missing]).converged).toBe(false);
    expect(summarizePairs([same]).converged).toBe(true);
  });
});

describe('canonicalJson', () => {
  it('gives the same text for objects that differ only in key order, at every level', () => {
    // Act
    const a = canonicalJson({ value: 'v', lineage: { 'us-west-2': 1, 'us-east-1': 2 }, list: [{ b: 1, a: 2 }] });
    const b = canonicalJson({ list: [{ a: 2, b: 1 }], lineage: { 'us-east-1': 2, 'us-west-2': 1 }, value: 'v' });
    // Assess
    expect(a).toBe(b);
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: 2 }));
  });
});
