import { sessionOverheadVerdict } from '../../lab/sessions-overhead-figures';

describe('sessionOverheadVerdict', () => {
  it('holds when redis adds about one round trip and the cookie adds next to nothing', () => {
    // Act
    const verdict = sessionOverheadVerdict({ memoryP50: 1.1, cookieP50: 1.2, redisP50: 5.6, rawGetSetP50: 4.3 });

    // Assess
    expect(verdict).toEqual({ redisExtraMs: 4.5, cookieExtraMs: 0.1, redisExtraInRoundTrips: 1.05, holds: true });
  });

  it('fails when redis adds less than half a round trip', () => {
    // Act & Assess
    expect(sessionOverheadVerdict({ memoryP50: 1, cookieP50: 1, redisP50: 2.9, rawGetSetP50: 4 }).holds).toBe(false);
  });

  it('fails when redis adds far more than a round trip (something else is slow)', () => {
    // Act & Assess
    expect(sessionOverheadVerdict({ memoryP50: 1, cookieP50: 1, redisP50: 14, rawGetSetP50: 4 }).holds).toBe(false);
  });

  it('fails when the cookie strategy pays as if it had a store', () => {
    // Act
    const verdict = sessionOverheadVerdict({ memoryP50: 1, cookieP50: 3.5, redisP50: 5, rawGetSetP50: 4 });

    // Assess
    expect(verdict.cookieExtraMs).toBe(2.5);
    expect(verdict.holds).toBe(false);
  });

  it('does not hold without a measured round trip', () => {
    // Act & Assess
    expect(sessionOverheadVerdict({ memoryP50: 1, cookieP50: 1, redisP50: 2, rawGetSetP50: 0 }).holds).toBe(false);
  });
});
