/**
 * Edge validation shared by every route: bodies, path and query parameters are checked here, before
 * the core sees them, and every rejection is a 4xx with a message that says what was wrong.
 *
 * Each is a route middleware (`pathParams`, `queryParams`, `jsonBody`) whose result the handler
 * reads with `c.req.valid('param' | 'query' | 'json')`. Path and query go through Hono's `validator`
 * with a zod schema; the body is read here, not by the validator's `json` target, because that
 * target treats a wrong content type as an empty object and answers a malformed or empty body with
 * its own text, where this API answers 415 and names what was wrong.
 *
 * @example
 * app.get('/notes/:id', pathParams({ id: idSchema }), (c) => c.json({ id: c.req.valid('param').id }));
 */
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { validator } from 'hono/validator';
import * as z from 'zod/mini';
// One locale, not the index: a CommonJS bundle would otherwise carry every language.
import en from 'zod/v4/locales/en.cjs';
import { InvalidInputError } from '../core/errors';

/** Largest request body any route accepts; bigger bodies get 413 before they are read. */
export const MAX_BODY_BYTES = 16 * 1024;

/** A rejected request: 400 unless a more specific status applies (415 for a wrong content type). */
export class RequestValidationError extends InvalidInputError {
  constructor(
    message: string,
    readonly issues: readonly string[] = [],
    readonly status: 400 | 415 = 400,
  ) {
    super(message);
  }
}

/** Where a value came from; every message starts with it (`body.text: ...`, `query.consistency: ...`). */
export type InputLocation = 'path' | 'query' | 'header' | 'cookie' | 'body';

/**
 * Zod's English messages, for this parse only: they name the rule broken ("Too big: expected string
 * to have <=2000 characters") where the mini build alone says "Invalid input". Passed per parse so
 * that configuration parsing elsewhere keeps its own exact messages.
 */
const ENGLISH = en().localeError;

function describeIssues(issues: readonly z.core.$ZodIssue[], location: string): string[] {
  return issues.map((issue) => {
    const where = [location, ...issue.path.map(String)].join('.');
    if (issue.code === 'unrecognized_keys') return `${where}: unknown field(s) ${issue.keys.join(', ')}`;
    return `${where}: ${issue.message}`;
  });
}

/** A media type worth quoting back; anything else is not reflected into the response. */
const MEDIA_TYPE = /^[\w.+-]{1,40}\/[\w.+-]{1,60}(;[\w\s=.+"-]{0,60})?$/;

/** Reads a JSON body and validates it against a (strict) schema. */
async function readJsonBody<T>(c: Context, schema: z.ZodMiniType<T>): Promise<T> {
  const contentType = c.req.header('content-type') ?? '';
  if (!/^application\/json\b/i.test(contentType)) {
    const given = contentType === '' ? 'none' : MEDIA_TYPE.test(contentType) ? JSON.stringify(contentType) : 'an unreadable value';
    const message = `header.content-type: got ${given}; allowed: application/json`;
    throw new RequestValidationError(message, [message], 415);
  }
  const text = await c.req.text();
  if (text.trim() === '') throw new RequestValidationError('body: required (a JSON document)', ['body: required (a JSON document)']);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // The parser's message quotes the input back; the rule is enough.
    throw new RequestValidationError('body: not valid JSON (RFC 8259)', ['body: not valid JSON (RFC 8259)']);
  }
  return validate(schema, parsed, 'body', 'Invalid request body');
}

/**
 * Validates the route's path parameters.
 *
 * @example
 * app.get('/counters/:name', pathParams({ name: idSchema }), (c) => c.json(c.req.valid('param')));
 */
export function pathParams<S extends z.core.$ZodShape>(shape: S) {
  const schema = z.object(shape);
  return validator('param', (params) => validate(schema, params, 'path', (name) => `Invalid path parameter '${name}'`));
}

/**
 * Validates query parameters (absent ones are `undefined`; of a repeated one, the first counts; others are ignored).
 *
 * @example
 * app.get('/work', queryParams({ ioMs: millis }), (c) => c.json(c.req.valid('query')));
 */
export function queryParams<S extends z.core.$ZodShape>(shape: S) {
  const schema = z.object(shape);
  return validator('query', (query) => {
    const first = Object.fromEntries(Object.entries(query).map(([name, value]) => [name, Array.isArray(value) ? value[0] : value]));
    return validate(schema, first, 'query', (name) => `Invalid query parameter '${name}'`);
  });
}

/**
 * Reads and validates the JSON body (see `readJsonBody`).
 *
 * @example
 * app.post('/notes', jsonBody(noteBodySchema), (c) => c.json(c.req.valid('json')));
 */
export function jsonBody<T>(schema: z.ZodMiniType<T>) {
  return createMiddleware<any, string, { in: { json: T }; out: { json: T } }>(async (c, next) => {
    c.req.addValidatedData('json', (await readJsonBody(c, schema)) as object);
    await next();
  });
}

/**
 * Parses `input`, or throws the rejection: titled by `what`, or for parameters (`what` a function of
 * the name) one rejection per parameter, as if each were read on its own: the first one that fails
 * (in the shape's order) is named, with its issues only.
 */
function validate<T>(schema: z.ZodMiniType<T>, input: unknown, location: string, what: string | ((name: string) => string)): T {
  const result = z.safeParse(schema, input, { error: ENGLISH });
  if (result.success) return result.data;
  let found = result.error.issues;
  let title = what;
  if (typeof what === 'function') {
    const name = String(found[0].path[0]);
    found = found.filter((issue) => String(issue.path[0]) === name);
    title = what(name);
  }
  const issues = describeIssues(found, location);
  throw new RequestValidationError(`${title}: ${issues.join('; ')}`, issues);
}

/** Identifiers used in paths: short, URL-safe, no surprises in keys or SQL. */
export const idSchema = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected 1-64 characters of A-Z a-z 0-9 _ -'));

/** Text the database can store: PostgreSQL text refuses NUL (U+0000), so it is a client error here, named. */
export const withoutNul = z.refine<string>((text) => !text.includes('\u0000'), 'must not contain NUL (U+0000)');
