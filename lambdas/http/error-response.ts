/**
 * Maps every error to one JSON shape and status, identically for Lambda and the container:
 * `{ "error": "<Code>", "message": "...", "requestId": "...", ...details }`. Responses say what
 * the client can act on and nothing else: an engine failure names the engine and the kind of
 * failure, never the driver's text, an address or SQL; those go to the log line that carries the
 * same request id. Unknown errors become a 500 whose body leaks nothing.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ConfigurationError } from '../config/runtime-config';
import { ConflictError, EngineUnavailableError, PatternError } from '../core/errors';
import { loggerOf, REQUEST_ID_HEADER, requestIdOf } from './request-id';
import { RequestValidationError } from './validation';

const STATUS_BY_CODE: Record<string, ContentfulStatusCode> = {
  InvalidInput: 400,
  InvalidSession: 401,
  NotFound: 404,
  Conflict: 409,
  PayloadTooLarge: 413,
  EngineUnavailable: 503,
};

export interface ErrorBody {
  readonly error: string;
  readonly message: string;
  readonly requestId?: string;
  readonly [detail: string]: unknown;
}

export function errorBody(error: string, message: string, details: Record<string, unknown> = {}): ErrorBody {
  return { error, message, ...details };
}

/** An error response in the common shape, carrying this request's id (body and header). */
export function errorJson(
  c: Context,
  status: ContentfulStatusCode,
  error: string,
  message: string,
  details: Record<string, unknown> = {},
): Response {
  const requestId = requestIdOf(c);
  c.header(REQUEST_ID_HEADER, requestId);
  return c.json(errorBody(error, message, { ...details, requestId }), status);
}

/**
 * The response for an error a route threw; what the client must not see goes to this request's
 * log (`c.var.logger`), whose lines carry the `requestId` the response names.
 */
export function toErrorResponse(err: Error, c: Context): Response {
  const log = loggerOf(c);
  if (err instanceof RequestValidationError) {
    return errorJson(c, err.status, err.code, err.message, err.issues.length > 0 ? { issues: err.issues } : {});
  }
  if (err instanceof EngineUnavailableError) {
    log.error('engine unavailable', { engine: err.engine, kind: err.kind, error: err });
    return errorJson(c, 503, err.code, err.publicMessage, { engine: err.engine, kind: err.kind });
  }
  if (err instanceof PatternError) {
    const details = err instanceof ConflictError ? err.details : {};
    return errorJson(c, STATUS_BY_CODE[err.code] ?? 500, err.code, err.message, details);
  }
  if (err instanceof HTTPException) {
    // Hono's own rejections; their text is ours (the library's), never a driver's.
    return errorJson(c, err.status as ContentfulStatusCode, 'HttpError', err.message || 'Request rejected');
  }
  if (err instanceof ConfigurationError) {
    log.error('configuration error', { error: err });
    return errorJson(c, 500, 'Misconfigured', 'This instance is misconfigured; see its logs');
  }
  log.error('unhandled error', { error: err });
  return errorJson(c, 500, 'InternalError', 'Internal error; see the logs for this request id');
}
