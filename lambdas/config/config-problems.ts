/**
 * The one formatter of configuration problems: turns the zod issues of a field schema
 * (`schemas.ts`) into the project's `key: got X; allowed: Y` lines (`configProblem`), and collects
 * every problem of a section so that they are all reported at once. The CDK context, the runtime
 * environment, the playground's flags and its control actions all go through it.
 *
 * @example
 * const problems = new ConfigProblems();
 * const port = problems.field('PORT', withDefault(integerIn(1, 65535), 8080), configText(env.PORT));
 * problems.throwIfAny((list) => new ConfigurationError(list));
 */
import * as z from 'zod/mini';
import { configProblem } from './vocabulary';

/** How one problem reads; the playground's action log quotes values its own way. */
export type ProblemFormat = (key: string, got: unknown, allowed: string) => string;

/**
 * The problems of one zod error on the field `key`: the issue's message is what is allowed; what
 * was given is `got`, unless the issue names its own part of the value (`params.got`, e.g. one bad
 * entry of a list).
 */
export function describeConfigIssues(key: string, error: z.core.$ZodError, got: unknown, format: ProblemFormat = configProblem): string[] {
  return error.issues.map((issue) => {
    const params = (issue as { params?: { got?: unknown } }).params;
    const where = [key, ...issue.path.map(String)].filter((part) => part !== '').join('.');
    return format(where, params !== undefined && 'got' in params ? params.got : got, issue.message);
  });
}

/** Collects the problems of a section in the order they are found. */
export class ConfigProblems {
  readonly list: string[] = [];

  constructor(private readonly format: ProblemFormat = configProblem) {}

  /**
   * Parses one value with its field schema; on a problem, records it and returns undefined.
   * `got` is what the problem quotes (the value as given, before defaults or trimming).
   */
  field<T, I>(key: string, schema: z.ZodMiniType<T, I>, input: unknown, got: unknown = input): T | undefined {
    const result = z.safeParse(schema, input);
    if (result.success) return result.data;
    this.list.push(...describeConfigIssues(key, result.error, got, this.format));
    return undefined;
  }

  /** Records a problem that a rule across fields found. */
  add(key: string, got: unknown, allowed: string): void {
    this.list.push(this.format(key, got, allowed));
  }

  /** Throws the error `make` builds from every problem, if there is any. */
  throwIfAny(make: (problems: readonly string[]) => Error): void {
    if (this.list.length > 0) throw make(this.list);
  }
}
