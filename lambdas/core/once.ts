/**
 * Memoises an async build and never caches a failure: every caller shares the first build's
 * promise, concurrent first calls included; a build that rejects is forgotten, so the next call
 * retries instead of replaying the error for the life of the process (a cold start that met a
 * database still starting must not poison the instance). The one such helper of the project:
 * shared clients, the Lambda entry's app and the harness's initdb template use it.
 *
 * @example
 * const pool = once(() => connect(config));
 * await pool(); // built now
 * await pool(); // the same pool
 */
export function once<T>(build: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= build().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
