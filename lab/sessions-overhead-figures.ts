/**
 * Verdict of the `sessions-overhead` experiment, kept apart from the engines so that it can be
 * tested: the shared store must add about one Redis GET+SET round trip to each request, and the
 * strategies without a shared store must not.
 */

/** The extra time must be at least this share of one raw GET+SET round trip... */
export const MIN_SHARE_OF_ROUND_TRIP = 0.5;
/** ...and at most this many round trips, to be "of the order of" one. */
export const MAX_ROUND_TRIPS = 3;

export interface OverheadInput {
  /** Median latency of `GET /session` per strategy, ms. */
  readonly memoryP50: number;
  readonly cookieP50: number;
  readonly redisP50: number;
  /** Median of a raw GET then SET from the lab's own Redis client, over the same link, ms. */
  readonly rawGetSetP50: number;
}

export interface OverheadVerdict {
  /** redis p50 - memory p50, ms. */
  readonly redisExtraMs: number;
  /** cookie p50 - memory p50, ms. */
  readonly cookieExtraMs: number;
  /** redisExtraMs in raw GET+SET round trips. */
  readonly redisExtraInRoundTrips: number;
  readonly holds: boolean;
}

const round2 = (value: number): number => Math.round(value * 100) / 100;

/**
 * Redis pays a round trip when its extra median is between half and three raw GET+SET round trips;
 * the cookie strategy does not when its extra median stays under half of one.
 *
 * @example
 * sessionOverheadVerdict({ memoryP50: 1.1, cookieP50: 1.2, redisP50: 5.6, rawGetSetP50: 4.3 });
 * // { redisExtraMs: 4.5, cookieExtraMs: 0.1, redisExtraInRoundTrips: 1.05, holds: true }
 */
export function sessionOverheadVerdict(input: OverheadInput): OverheadVerdict {
  const redisExtraMs = round2(input.redisP50 - input.memoryP50);
  const cookieExtraMs = round2(input.cookieP50 - input.memoryP50);
  const trip = input.rawGetSetP50;
  const redisExtraInRoundTrips = trip > 0 ? round2(redisExtraMs / trip) : 0;
  const holds =
    trip > 0 &&
    redisExtraMs >= MIN_SHARE_OF_ROUND_TRIP * trip &&
    redisExtraMs <= MAX_ROUND_TRIPS * trip &&
    cookieExtraMs < MIN_SHARE_OF_ROUND_TRIP * trip;
  return { redisExtraMs, cookieExtraMs, redisExtraInRoundTrips, holds };
}
