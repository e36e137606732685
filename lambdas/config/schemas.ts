/**
 * The field schemas of every configuration this project reads: CDK context (`lib/config/`), the
 * runtime environment (`runtime-config.ts`), the playground's flags and its control actions. Each
 * rule is written once here, so that a value means the same everywhere: integers are decimal only
 * (`0x10` and `1e2` are refused on every side), booleans are the words `true` and `false`.
 *
 * A text field takes the value as given, already trimmed (`configText`: blank is unset), and its
 * zod message is the "allowed" half of the problem (`configProblem`), so that `config-problems.ts`
 * turns any issue into `key: got X; allowed: Y` without knowing the rule.
 *
 * @example
 * const problems = new ConfigProblems();
 * const poolMax = problems.field('DB_POOL_MAX', withDefault(integerIn(1, 100), 4), configText(env.DB_POOL_MAX));
 */
import { isIP } from 'node:net';
import * as z from 'zod/mini';
import { COOKIE_NAME_RULE, isCookieName } from './vocabulary';

/** A schema over the trimmed text of one configuration value (undefined when unset). */
export type TextField<T> = z.ZodMiniType<T, string | undefined>;

/** A value as the text a field reads: CDK context may give numbers or booleans; blank means unset. */
export function configText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = String(value).trim();
  return text === '' ? undefined : text;
}

/** A field whose text `parse` turns into a value, or refuses (undefined); `allowed` is the message either way. */
function textRule<T>(allowed: string, parse: (text: string) => T | undefined): TextField<T> {
  return z.pipe(
    z.string({ error: allowed }),
    z.transform((text: string, ctx) => {
      const value = parse(text);
      if (value !== undefined) return value;
      ctx.issues.push({ code: 'custom', message: allowed, input: text });
      return z.NEVER;
    }),
  ) as unknown as TextField<T>;
}

/** The field, or `fallback` when the value is unset. */
export function withDefault<T>(field: TextField<T>, fallback: NoInfer<T>): TextField<T> {
  return z._default(field as z.ZodMiniType<T, string | undefined>, fallback as never) as unknown as TextField<T>;
}

/** The field, or undefined when the value is unset. */
export function optional<T>(field: TextField<T>): TextField<T | undefined> {
  return z.optional(field) as unknown as TextField<T | undefined>;
}

/** How every integer range reads in a problem. */
export function integerRangeRule(min: number, max: number): string {
  return `an integer from ${min} to ${max}`;
}

/** Decimal digits with an optional minus sign: no `0x10`, `1e2`, `1.0` or `+1`. */
const DECIMAL = /^-?\d+$/;

/** A decimal integer from `min` to `max`. */
export function integerIn(min: number, max: number, allowed = integerRangeRule(min, max)): TextField<number> {
  return textRule(allowed, (text) => {
    const value = DECIMAL.test(text) ? Number(text) : NaN;
    return Number.isInteger(value) && value >= min && value <= max ? value : undefined;
  });
}

/** The same range for a JSON number (the playground's control actions): an integer, not its text. */
export function jsonIntegerIn(min: number, max: number): z.ZodMiniType<number, unknown> {
  return z.int({ error: integerRangeRule(min, max) }).check(z.gte(min, integerRangeRule(min, max)), z.lte(max, integerRangeRule(min, max)));
}

/** The one set of boolean words, on every side. */
export const BOOLEAN_RULE = 'true, false';

export const booleanWord: TextField<boolean> = textRule(BOOLEAN_RULE, (text) => (text === 'true' ? true : text === 'false' ? false : undefined));

/** A JSON boolean (the playground's control actions). */
export const jsonBoolean: z.ZodMiniType<boolean, unknown> = z.boolean({ error: BOOLEAN_RULE });

/** One of a value set, as the vocabulary lists it. */
export function oneOf<const T extends string>(values: readonly T[], allowed = values.join(', ')): TextField<T> {
  return textRule(allowed, (text) => ((values as readonly string[]).includes(text) ? (text as T) : undefined));
}

/** One of a value set, given as JSON (a control action's field). */
export function jsonOneOf<const T extends string>(values: readonly T[]): z.ZodMiniType<T, unknown> {
  return z.enum(values as unknown as [T, ...T[]], { error: values.join(', ') }) as unknown as z.ZodMiniType<T, unknown>;
}

/** Text matching `pattern` (a name, a class, an id). */
export function matching(pattern: RegExp, allowed: string): TextField<string> {
  return textRule(allowed, (text) => (pattern.test(text) ? text : undefined));
}

/** Any text: only its presence is checked. */
export function anyText(allowed = 'a value (required)'): TextField<string> {
  return z.string({ error: allowed }) as unknown as TextField<string>;
}

/** A cookie name (RFC 6265 token), for the session cookie and the ALB's application cookie. */
export const cookieName: TextField<string> = textRule(COOKIE_NAME_RULE, (text) => (isCookieName(text) ? text : undefined));

export const AWS_REGION_PATTERN = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;

export const awsRegion: TextField<string> = matching(AWS_REGION_PATTERN, 'an AWS Region code such as us-east-1');

/** A Secrets Manager secret ARN. */
export const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/;

export function secretArn(allowed = 'a Secrets Manager secret ARN'): TextField<string> {
  return matching(SECRET_ARN, allowed);
}

/** An ACM certificate ARN. */
export const CERTIFICATE_ARN = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/;

/** An http(s) URL (an endpoint override). */
export const httpUrl: TextField<string> = matching(/^https?:\/\/[^\s/]+(\/\S*)?$/, 'an http(s) URL');

/** An IPv4 or IPv6 address to listen on. */
export const ipAddress: TextField<string> = textRule('an IPv4 or IPv6 address such as 127.0.0.1 or 0.0.0.0', (text) =>
  isIP(text) === 0 ? undefined : text,
);

/** A lower-case header name that load balancers set (RFC 9110 token, restricted). */
export const proxyHeaderName: TextField<string> = textRule('a header name such as x-forwarded-proto or cloudfront-forwarded-proto', (text) => {
  const header = text.toLowerCase();
  return /^[a-z0-9][a-z0-9-]{0,63}$/.test(header) ? header : undefined;
});

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** A comma-separated list of `host` or `host:port` entries; empty entries are skipped, an unset list is empty. */
export function hostPortList(defaultPort: number): TextField<HostPort[]> {
  const allowed = 'entries of host or host:port, comma-separated';
  const list = z.pipe(
    z.string(),
    z.transform((text: string, ctx) => {
      const entries: HostPort[] = [];
      for (const entry of text.split(',').map((e) => e.trim()).filter((e) => e !== '')) {
        const match = /^([A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(entry);
        const port = match?.[2] === undefined ? defaultPort : Number(match[2]);
        // Each bad entry is its own problem, quoting that entry.
        if (match && port >= 1 && port <= 65535) entries.push({ host: match[1], port });
        else ctx.issues.push({ code: 'custom', message: allowed, input: entry, params: { got: entry } });
      }
      return entries;
    }),
  ) as unknown as TextField<HostPort[]>;
  return withDefault(list, []);
}

/** A comma-separated list of names; empty entries are skipped, an unset list is empty. */
export const nameList: TextField<string[]> = z.pipe(
  z.optional(z.string()),
  z.transform((text: string | undefined) =>
    (text ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== ''),
  ),
) as unknown as TextField<string[]>;
