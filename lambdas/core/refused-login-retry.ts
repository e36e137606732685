/**
 * The refused-login retry: what a client does when the database (or the proxy in front of it)
 * refuses its password because the secret was rotated under it. It re-reads the secret and tries
 * again, a bounded number of times, with pauses between the attempts.
 *
 * Why more than one immediate retry. Secrets Manager's single-user rotation changes the password
 * in the database (setSecret) before it makes the new value current (finishSecret), and its
 * documentation says to cover that window with a retry strategy
 * (https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotation-strategy.html). In that
 * window a fresh read still returns the old password, so an immediate retry fails again; a little
 * later it succeeds. Behind RDS Proxy there is a second window: the proxy, which reads the same
 * secret, may take the new value later than the client does. Each attempt re-reads the secret,
 * because the password that works can be either one until both have moved.
 *
 * Pure: the refresh, the pause and the error test are injected.
 *
 * @example
 * const rows = await retryRefusedLogin(() => pool.query(sql), {
 *   isRefusedLogin: (e) => e.code === '28P01',
 *   refresh: () => credentials.refresh(),
 *   pausesMs: REFUSED_LOGIN_PAUSES_MS,
 * });
 */
import { realSleep, type Sleep } from './clock';

/**
 * Pauses before each retry of the request path (a 3.1 s budget at most, added to a request only
 * while a rotation is switching over): about the time a rotation function takes from setSecret to
 * finishSecret, plus a proxy taking the new value a little later.
 */
export const REFUSED_LOGIN_PAUSES_MS: readonly number[] = [100, 200, 400, 800, 1600];

export interface RefusedLoginRetryOptions {
  /** Whether `error` is a refused login (the caller knows its driver's codes). */
  readonly isRefusedLogin: (error: unknown) => boolean;
  /** Re-reads the credentials, bypassing any cache; called once before each retry. */
  readonly refresh: () => Promise<void>;
  /** One pause per retry, in order: their number is the number of retries. */
  readonly pausesMs: readonly number[];
  /** @default a real timer */
  readonly sleep?: Sleep;
  /** Told of each refused login that is about to be retried (metrics, logs, tests). @default - nothing */
  readonly onRetry?: (attempt: number, error: unknown) => void;
}

/**
 * Runs `operation`; while it fails with a refused login and retries remain, pauses, re-reads the
 * credentials and runs it again. Any other error, and the last refused login, propagate unchanged.
 * A failed refresh propagates too (the secret store is down: nothing to retry with).
 */
export async function retryRefusedLogin<T>(operation: () => Promise<T>, options: RefusedLoginRetryOptions): Promise<T> {
  const sleep = options.sleep ?? realSleep;
  for (let attempt = 0; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (attempt >= options.pausesMs.length || !options.isRefusedLogin(error)) throw error;
      options.onRetry?.(attempt + 1, error);
      await sleep(options.pausesMs[attempt]);
      await options.refresh();
    }
  }
}

/**
 * Shares one refresh among the callers that ask while it runs: a burst of refused logins (every
 * pooled request at once) costs one read of the secret, not one per request.
 */
export function singleFlight(refresh: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => {
    running ??= refresh().finally(() => {
      running = undefined;
    });
    return running;
  };
}
