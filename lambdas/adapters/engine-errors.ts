import { EngineUnavailableError, PatternError } from '../core/errors';

/**
 * Runs one engine operation and turns any driver failure (refused, reset, timeout) into an
 * EngineUnavailableError (503), so that an outage is a clear answer, never a hang or a crash.
 * Errors the core raised on purpose pass through unchanged.
 */
export async function guardEngine<T>(engine: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof PatternError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new EngineUnavailableError(engine, message, { cause: error });
  }
}
