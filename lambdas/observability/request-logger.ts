/**
 * The logger a request's code logs through, carried in the Hono context (`c.var.logger`, set with
 * the request id): every line it writes names the request (`requestId`), so an operator finds all
 * the lines of the request a client quotes from an error body.
 *
 * It writes through the process logger (same JSON lines, same host and Lambda fields) with the id
 * as one more key, instead of a Powertools `createChild` per request: a child is a whole logger
 * built on the hot path, and it would stamp `cold_start` as a new logger sees it, not as the
 * invocation is.
 */
import type { LogAttributes } from '@aws-lambda-powertools/logger/types';
import { logger } from './logger';

/** What a request logs through: a message and the fields about it (an `error` included). */
export type LogLine = (message: string, fields?: LogAttributes) => void;

export interface RequestLogger {
  readonly requestId: string;
  readonly debug: LogLine;
  readonly info: LogLine;
  readonly warn: LogLine;
  readonly error: LogLine;
}

/**
 * The logger of one request.
 *
 * @example
 * requestLogger('req-0001').warn('cache unavailable', { kind: 'unreachable' }); // {..., "requestId": "req-0001"}
 */
export function requestLogger(requestId: string): RequestLogger {
  // The id goes last: a field a caller passes cannot hide which request the line is about.
  return {
    requestId,
    debug: (message, fields) => logger.debug(message, { ...fields, requestId }),
    info: (message, fields) => logger.info(message, { ...fields, requestId }),
    warn: (message, fields) => logger.warn(message, { ...fields, requestId }),
    error: (message, fields) => logger.error(message, { ...fields, requestId }),
  };
}
