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
 * How an engine failed, as far as a client needs to know: enough to decide whether to retry, never
 * the driver's text (which carries addresses, SQL and server messages; that goes to the log).
 */
export type EngineFailureKind =
  /** Refused, unresolvable or unroutable: nothing answered. */
  | 'unreachable'
  /** Connected once, then the connection dropped mid-request. */
  | 'connection-lost'
  /** Did not answer within its bounded budget (connect, command or statement timeout). */
  | 'timeout'
  /** Answered but cannot take more work now (too many connections, throttling). */
  | 'overloaded'
  /** Starting up, shutting down, or in recovery (a failover in progress). */
  | 'starting-or-stopping'
  /** Refused this service's credentials (a rotation not yet picked up, a misconfiguration). */
  | 'auth-failed'
  /** Any other failure of the engine itself. */
  | 'unavailable';

/**
 * A backing engine (Redis, PostgreSQL, DynamoDB, RDS API) is unreachable or timed out (503).
 * Adapters wrap connection-level driver errors in this so that callers never hang or crash on an
 * engine outage. `message` keeps the detail for the log; `publicMessage` is all a client is told.
 */
export class EngineUnavailableError extends PatternError {
  readonly code = 'EngineUnavailable';
  readonly kind: EngineFailureKind;
  constructor(
    readonly engine: string,
    message: string,
    options?: { cause?: unknown; kind?: EngineFailureKind },
  ) {
    super(`${engine} is unavailable: ${message}`);
    this.kind = options?.kind ?? 'unavailable';
    if (options?.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }

  /** What a response may say: the engine and the kind of failure, nothing from the driver. */
  get publicMessage(): string {
    return `${this.engine} is unavailable (${this.kind}); retry later`;
  }
}

/**
 * An engine refused a value the client sent (PostgreSQL data exception, e.g. a NUL byte in text;
 * a DynamoDB validation error): the client's fault, 400. The adapter that knows which field the
 * value came from names it with `at(field)`; the message never quotes the engine.
 */
export class RejectedValueError extends InvalidInputError {
  constructor(
    readonly rule: string,
    readonly field?: string,
  ) {
    super(`${field ?? 'a value'}: ${rule}`);
  }

  /** The same rejection, naming where the value came from (`body.text`). */
  at(field: string): RejectedValueError {
    return new RejectedValueError(this.rule, field);
  }
}
