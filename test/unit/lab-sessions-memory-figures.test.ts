import { fitLine, sessionMemoryHolds, sessionsThatFit, type CapOutcome } from '../../lab/sessions-memory-figures';

const fullCap: CapOutcome = { limit: 100, heldBefore: 100, attempted: 20, accepted: 0, refused: 20, existingServed: true };

describe('fitLine', () => {
  it('finds the bytes per session of readings on a line, with R² 1', () => {
    // Act
    const fit = fitLine([0, 100, 200, 300].map((sessions) => ({ sessions, heapUsedBytes: 5_000_000 + 450 * sessions })));

    // Assess
    expect(fit.slope).toBeCloseTo(450, 9);
    expect(fit.intercept).toBeCloseTo(5_000_000, 3);
    expect(fit.r2).toBeCloseTo(1, 9);
  });

  it('gives a low R² when the heap does not follow the sessions', () => {
    // Act
    const fit = fitLine([
      { sessions: 0, heapUsedBytes: 1000 },
      { sessions: 100, heapUsedBytes: 9000 },
      { sessions: 200, heapUsedBytes: 1000 },
      { sessions: 300, heapUsedBytes: 9000 },
    ]);

    // Assess
    expect(fit.r2).toBeLessThan(0.5);
  });

  it('needs two different session counts', () => {
    // Act & Assess
    expect(() => fitLine([{ sessions: 1, heapUsedBytes: 1 }])).toThrow('fitLine needs at least 2 readings, got 1');
    expect(() => fitLine([{ sessions: 1, heapUsedBytes: 1 }, { sessions: 1, heapUsedBytes: 2 }])).toThrow(
      'fitLine needs readings at two different session counts at least',
    );
  });
});

describe('sessionsThatFit', () => {
  it('counts whole sessions, and none for a cost that is not positive', () => {
    // Act & Assess
    expect(sessionsThatFit(1024, 500)).toBe(2);
    expect(sessionsThatFit(1024, 0)).toBe(0);
    expect(sessionsThatFit(-5, 100)).toBe(0);
  });
});

describe('sessionMemoryHolds', () => {
  const clearFit = { slope: 450, intercept: 0, r2: 0.98 };

  it('holds with a clear positive slope and exactly the sessions beyond the limit refused', () => {
    // Act & Assess
    expect(sessionMemoryHolds(clearFit, fullCap)).toBe(true);
    expect(sessionMemoryHolds(clearFit, { ...fullCap, heldBefore: 95, accepted: 5, refused: 15 })).toBe(true);
  });

  it('does not hold on a flat or noisy heap', () => {
    // Act & Assess
    expect(sessionMemoryHolds({ ...clearFit, slope: -3 }, fullCap)).toBe(false);
    expect(sessionMemoryHolds({ ...clearFit, r2: 0.6 }, fullCap)).toBe(false);
  });

  it('does not hold when the cap lets sessions in, refuses too many, or drops existing ones', () => {
    // Act & Assess
    expect(sessionMemoryHolds(clearFit, { ...fullCap, accepted: 20, refused: 0 })).toBe(false);
    expect(sessionMemoryHolds(clearFit, { ...fullCap, heldBefore: 90, refused: 20 })).toBe(false);
    expect(sessionMemoryHolds(clearFit, { ...fullCap, existingServed: false })).toBe(false);
  });
});
