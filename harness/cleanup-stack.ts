/**
 * The one teardown list of a local architecture: each part is registered for teardown as soon as
 * it has started, before anything else can fail, and torn down newest first.
 *
 * @example
 * const cleanup = new CleanupStack();
 * const redis = await cleanup.started(() => startRedis(), (r) => r.stop());
 * await cleanup.close(); // stops Redis (and whatever started after it, first)
 */
export class CleanupStack {
  private readonly stops: Array<() => Promise<unknown>> = [];

  /** Runs `start` and registers `stop` for its value before returning it. */
  async started<T>(start: () => Promise<T>, stop: (value: T) => Promise<unknown>): Promise<T> {
    const value = await start();
    this.stops.push(() => stop(value));
    return value;
  }

  /** Registers a teardown step for something already running. */
  defer(stop: () => Promise<unknown>): void {
    this.stops.push(stop);
  }

  /** Tears everything down, newest first; never throws (each failure goes to `onError`). */
  async close(onError: (error: Error) => void = () => undefined): Promise<void> {
    for (const stop of this.stops.splice(0).reverse()) await stop().catch(onError);
  }

  /** Runs `build`; if it throws, tears down what it started and rethrows. */
  async orClose<T>(build: () => Promise<T>, onError?: (error: Error) => void): Promise<T> {
    try {
      return await build();
    } catch (error) {
      await this.close(onError);
      throw error;
    }
  }
}
