/**
 * The error taxonomy at the engine boundary: every driver failure is sorted into what it means for
 * the client, by its codes (SQLSTATE, Node network codes, AWS SDK fault), never by its text:
 * - connection-level (refused, reset, timeout, shutting down, overloaded) -> EngineUnavailableError (503);
 * - a value the engine refused (PostgreSQL class 22, DynamoDB ValidationException) -> RejectedValueError (400);
 * - a constraint (PostgreSQL class 23): unique violation -> ConflictError (409), others -> 400;
 * - anything else an engine answered with a code (a syntax error, an undefined table) is our bug:
 *   it propagates unchanged and becomes a 500 whose body says nothing (the log has it all).
 */
import {
  ConflictError,
  EngineUnavailableError,
  InvalidInputError,
  PatternError,
  RejectedValueError,
  type EngineFailureKind,
} from '../core/errors';

interface DriverError {
  readonly code?: unknown;
  readonly name?: unknown;
  readonly message?: unknown;
  readonly severity?: unknown;
  readonly $fault?: unknown;
}

const NETWORK_CODES: Record<string, EngineFailureKind> = {
  ECONNREFUSED: 'unreachable',
  ENOTFOUND: 'unreachable',
  EAI_AGAIN: 'unreachable',
  EHOSTUNREACH: 'unreachable',
  ENETUNREACH: 'unreachable',
  ECONNRESET: 'connection-lost',
  EPIPE: 'connection-lost',
  ECONNABORTED: 'connection-lost',
  ETIMEDOUT: 'timeout',
  ESOCKETTIMEDOUT: 'timeout',
};

/** What PostgreSQL's data exceptions (class 22) mean, in words a client can act on. */
const DATA_RULES: Record<string, string> = {
  '22021': 'contains a character the database cannot store (e.g. NUL, U+0000)',
  '22P05': 'contains a character the database cannot store (e.g. NUL, U+0000)',
  '22001': 'is longer than the database allows',
  '22003': 'is out of the range the database allows',
  '22007': 'is not a valid date or time',
  '22008': 'is not a valid date or time',
  '22P02': 'is not in the format the database expects',
};

const SQLSTATE = /^[0-9A-Z]{5}$/;

function postgresFailure(code: string): PatternError | EngineFailureKind | undefined {
  if (code.startsWith('08')) return 'connection-lost';
  if (code === '57014') return 'timeout'; // statement_timeout or a cancel: the budget ran out
  if (code.startsWith('57P') || code === '25006') return 'starting-or-stopping'; // shutdown, recovery, read-only
  if (code.startsWith('53')) return 'overloaded';
  if (code.startsWith('28')) return 'auth-failed';
  if (code === '40001' || code === '40P01') return 'overloaded'; // serialization failure, deadlock: retryable
  if (code.startsWith('22')) return new RejectedValueError(DATA_RULES[code] ?? 'was refused by the database as invalid data');
  if (code === '23505') return new ConflictError('the record conflicts with an existing one (unique constraint)');
  if (code.startsWith('23')) return new InvalidInputError('the request breaks a data constraint');
  return undefined;
}

function awsFailure(error: DriverError): PatternError | EngineFailureKind | undefined {
  const name = String(error.name);
  if (name === 'ValidationException') return new RejectedValueError('was refused by the database as invalid');
  if (/Throttl|LimitExceeded|ProvisionedThroughputExceeded/.test(name)) return 'overloaded';
  if (name === 'TimeoutError' || name === 'RequestTimeout') return 'timeout';
  return 'unavailable';
}

/**
 * Sorts one driver error. Returns the pattern error to throw, or undefined for an error that is
 * not the engine's to explain (it propagates as a bug).
 */
export function classifyEngineError(engine: string, error: unknown): PatternError | undefined {
  if (error instanceof PatternError) return error;
  const driver = (typeof error === 'object' && error !== null ? error : {}) as DriverError;
  const code = typeof driver.code === 'string' ? driver.code : undefined;
  let outcome: PatternError | EngineFailureKind | undefined;
  if (code !== undefined && NETWORK_CODES[code] !== undefined) outcome = NETWORK_CODES[code];
  else if (code !== undefined && SQLSTATE.test(code) && driver.severity !== undefined) outcome = postgresFailure(code);
  else if (driver.$fault !== undefined) outcome = awsFailure(driver);
  else if (/timed? ?out/i.test(String(driver.message ?? ''))) outcome = 'timeout';
  // No code at all: the client library's own connection errors (pool closed, connection terminated).
  else outcome = 'unavailable';
  if (outcome === undefined || outcome instanceof PatternError) return outcome;
  const detail = error instanceof Error ? error.message : String(error);
  return new EngineUnavailableError(engine, detail, { cause: error, kind: outcome });
}

/**
 * Runs one engine operation and sorts its failure (see the module comment), so that an outage is a
 * clear 503, bad data a 400 and a conflict a 409, never a hang, a crash or a leaked driver message.
 * Errors the core raised on purpose pass through unchanged.
 */
export async function guardEngine<T>(engine: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw classifyEngineError(engine, error) ?? error;
  }
}

/**
 * For a statement that stores one client field: a value the database refused is named after it.
 *
 * @example
 * await node.query(sql, [text]).catch(namingField('text'));
 */
export function namingField(field: string) {
  return (error: unknown): never => {
    throw error instanceof RejectedValueError && error.field === undefined ? error.at(field) : error;
  };
}
