/**
 * Errors raised by the pattern core. Each carries a stable `code` so that every entry point
 * (Lambda handler, container server) maps it to the same HTTP status and body.
 */
export abstract class PatternError extends Error {
  abstract readonly code: string;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The request is well-formed HTTP but its content breaks a rule of the pattern (400). */
export class InvalidInputError extends PatternError {
  readonly code = 'InvalidInput';
}

/** A session (cookie or id) was presented but cannot be trusted: bad signature, expired, unknown (401). */
export class InvalidSessionError extends PatternError {
  readonly code = 'InvalidSession';
}

/** The addressed record does not exist (404). */
export class NotFoundError extends PatternError {
  readonly code = 'NotFound';
}

/** A conditional write lost: optimistic-lock version mismatch or a replicated write conflict (409). */
export class ConflictError extends PatternError {
  readonly code = 'Conflict';
  constructor(
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** The result would exceed a hard size limit, e.g. a session too large for a cookie (413). */
export class PayloadTooLargeError extends PatternError {
  readonly code = 'PayloadTooLarge';
}

/**
 * A backing engine (Redis, PostgreSQL, DynamoDB, RDS API) is unreachable or timed out (503).
 * Adapters wrap driver errors in this so that callers never hang or crash on an engine outage.
 */
export class EngineUnavailableError extends PatternError {
  readonly code = 'EngineUnavailable';
  constructor(
    readonly engine: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${engine} is unavailable: ${message}`);
    if (options?.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}
