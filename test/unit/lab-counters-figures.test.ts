import { countersVerdict } from '../../lab/counters-figures';

const exact = [{ acknowledged: 40, counted: 40 }];

describe('countersVerdict', () => {
  it('holds when the hot row stays flat, the shards outrun it and every increment is counted', () => {
    // Act
    const verdict = countersVerdict({ '1': 20, '2': 21, '4': 22, '8': 22 }, { '1': 20, '2': 38, '4': 70, '8': 110 }, exact);

    // Assess
    expect(verdict).toEqual({ hotScaling: 1.1, shardedOverHot: 5, miscounted: 0, holds: true });
  });

  it('fails when the hot row scales with workers', () => {
    // Act
    const verdict = countersVerdict({ '1': 20, '8': 30 }, { '1': 20, '8': 110 }, exact);

    // Assess
    expect(verdict.hotScaling).toBe(1.5);
    expect(verdict.holds).toBe(false);
  });

  it('fails when the shards do not beat the hot row by half again', () => {
    // Act
    const verdict = countersVerdict({ '1': 20, '8': 22 }, { '1': 20, '8': 32 }, exact);

    // Assess
    expect(verdict.shardedOverHot).toBe(1.45);
    expect(verdict.holds).toBe(false);
  });

  it('fails when an acknowledged increment is missing or one too many was counted', () => {
    // Act
    const verdict = countersVerdict({ '1': 20, '8': 22 }, { '1': 20, '8': 110 }, [
      { acknowledged: 40, counted: 39 },
      { acknowledged: 10, counted: 11 },
    ]);

    // Assess
    expect(verdict.miscounted).toBe(2);
    expect(verdict.holds).toBe(false);
  });

  it('does not hold on an empty or idle measurement', () => {
    // Act & Assess
    expect(countersVerdict({ '1': 0, '8': 0 }, { '1': 0, '8': 0 }, []).holds).toBe(false);
    expect(countersVerdict({ '8': 20 }, { '8': 100 }, []).holds).toBe(false);
  });
});
