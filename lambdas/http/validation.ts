/**
 * Edge validation shared by every route: bodies and path parameters are checked here, before the
 * core sees them, and every rejection is a 4xx with a message that says what was wrong.
 */
import type { Context } from 'hono';
import * as z from 'zod/mini';
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

function describeIssues(error: z.core.$ZodError): string[] {
  return error.issues.map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join('.') : '(body)';
    if (issue.code === 'unrecognized_keys') return `${where}: unknown field(s) ${issue.keys.join(', ')}`;
    return `${where}: ${issue.message}`;
  });
}

/**
 * Reads a JSON body and validates it against a (strict) schema.
 *
 * @example
 * const { value } = await readJsonBody(c, z.strictObject({ value: z.string() }));
 */
export async function readJsonBody<T>(c: Context, schema: z.ZodMiniType<T>): Promise<T> {
  const contentType = c.req.header('content-type') ?? '';
  if (!/^application\/json\b/i.test(contentType)) {
    throw new RequestValidationError(
      `Content-Type must be application/json, got ${contentType === '' ? 'none' : JSON.stringify(contentType)}`,
      [],
      415,
    );
  }
  const text = await c.req.text();
  if (text.trim() === '') throw new RequestValidationError('Request body is required');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new RequestValidationError(`Malformed JSON body: ${(error as Error).message}`);
  }
  return validate(schema, parsed, 'Invalid request body');
}

/** Validates one path parameter; the message names the parameter. */
export function readParam<T>(c: Context, name: string, schema: z.ZodMiniType<T>): T {
  return validate(schema, c.req.param(name), `Invalid path parameter '${name}'`);
}

/** Validates one query parameter (absent is `undefined`); the message names the parameter. */
export function readQuery<T>(c: Context, name: string, schema: z.ZodMiniType<T>): T {
  return validate(schema, c.req.query(name), `Invalid query parameter '${name}'`);
}

function validate<T>(schema: z.ZodMiniType<T>, input: unknown, what: string): T {
  const result = z.safeParse(schema, input);
  if (!result.success) {
    const issues = describeIssues(result.error);
    throw new RequestValidationError(`${what}: ${issues.join('; ')}`, issues);
  }
  return result.data;
}

/** Identifiers used in paths: short, URL-safe, no surprises in keys or SQL. */
export const idSchema = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected 1-64 characters of A-Z a-z 0-9 _ -'));
