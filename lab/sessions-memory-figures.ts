/**
 * Figures of the `sessions-memory` experiment, kept apart from the engines so that they can be
 * tested: a least-squares line through (sessions held, heap bytes) readings gives the bytes one
 * session costs, and its R² says whether the heap really grew with the sessions.
 */

export interface HeapReading {
  readonly sessions: number;
  readonly heapUsedBytes: number;
}

export interface LineFit {
  /** Bytes per session. */
  readonly slope: number;
  readonly intercept: number;
  /** Coefficient of determination, 0..1: 1 when every reading lies on the line. */
  readonly r2: number;
}

/**
 * Ordinary least squares of heap bytes on sessions held.
 *
 * @example
 * fitLine([{ sessions: 0, heapUsedBytes: 1000 }, { sessions: 10, heapUsedBytes: 6000 }]); // slope 500, r2 1
 */
export function fitLine(readings: readonly HeapReading[]): LineFit {
  const n = readings.length;
  if (n < 2) throw new Error(`fitLine needs at least 2 readings, got ${n}`);
  const meanX = readings.reduce((s, r) => s + r.sessions, 0) / n;
  const meanY = readings.reduce((s, r) => s + r.heapUsedBytes, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const { sessions, heapUsedBytes } of readings) {
    sxx += (sessions - meanX) ** 2;
    sxy += (sessions - meanX) * (heapUsedBytes - meanY);
    syy += (heapUsedBytes - meanY) ** 2;
  }
  if (sxx === 0) throw new Error('fitLine needs readings at two different session counts at least');
  const slope = sxy / sxx;
  return { slope, intercept: meanY - slope * meanX, r2: syy === 0 ? 0 : (sxy * sxy) / (sxx * syy) };
}

export const GIB = 1024 ** 3;
export const MIB = 1024 ** 2;

/** Whole sessions that fit in `bytes` at `bytesPerSession` (0 when the cost is not positive). */
export function sessionsThatFit(bytes: number, bytesPerSession: number): number {
  return bytesPerSession > 0 ? Math.max(0, Math.floor(bytes / bytesPerSession)) : 0;
}

export interface CapOutcome {
  readonly limit: number;
  /** Sessions held when the over-limit attempts started. */
  readonly heldBefore: number;
  readonly attempted: number;
  readonly accepted: number;
  readonly refused: number;
  /** An existing session still answered 200 once the instance was full. */
  readonly existingServed: boolean;
}

/**
 * Least R² for "a clear positive slope": the heap must follow the session count, not noise. With
 * the experiment's 11 readings, R² 0.8 puts the slope about 6 standard errors above zero, while the
 * heap after a GC still wobbles by some 50-100 KB between readings (V8 tables growing in steps).
 */
export const MIN_R2 = 0.8;

/**
 * The claim holds when each session costs heap (positive slope on readings that line up) and the
 * cap turns away exactly the sessions beyond the limit while existing ones keep working.
 */
export function sessionMemoryHolds(fit: LineFit, cap: CapOutcome): boolean {
  const room = Math.max(0, cap.limit - cap.heldBefore);
  const expectedRefused = Math.max(0, cap.attempted - room);
  return fit.slope > 0 && fit.r2 >= MIN_R2 && cap.refused > 0 && cap.refused === expectedRefused && cap.existingServed;
}
