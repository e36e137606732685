/**
 * Maps every error to one JSON shape and status, identically for Lambda and the container:
 * `{ "error": "<Code>", "message": "...", ...details }`. Unknown errors become a 500 whose body
 * leaks nothing; they are logged in full.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ConfigurationError } from '../config/runtime-config';
import { ConflictError, EngineUnavailableError, PatternError } from '../core/errors';
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
  readonly [detail: string]: unknown;
}

export function errorBody(error: string, message: string, details: Record<string, unknown> = {}): ErrorBody {
  return { error, message, ...details };
}

export function toErrorResponse(err: Error, c: Context, log: (message: string, error: Error) => void): Response {
  if (err instanceof RequestValidationError) {
    return c.json(errorBody(err.code, err.message, err.issues.length > 0 ? { issues: err.issues } : {}), err.status);
  }
  if (err instanceof PatternError) {
    const details =
      err instanceof ConflictError ? err.details : err instanceof EngineUnavailableError ? { engine: err.engine } : {};
    if (err instanceof EngineUnavailableError) log('engine unavailable', err);
    return c.json(errorBody(err.code, err.message, details), STATUS_BY_CODE[err.code] ?? 500);
  }
  if (err instanceof HTTPException) {
    return c.json(errorBody('HttpError', err.message || 'Request rejected'), err.status as ContentfulStatusCode);
  }
  if (err instanceof ConfigurationError) {
    log('configuration error', err);
    return c.json(errorBody('Misconfigured', 'This instance is misconfigured; see its logs'), 500);
  }
  log('unhandled error', err);
  return c.json(errorBody('InternalError', 'Internal error'), 500);
}
