/**
 * The paths each pattern serves, by route key: the container server mounts them, and the CDK app
 * turns them into ALB rules under `/lambda` for the pattern's own Lambda function. Derived from
 * the pattern registry (`lambdas/patterns.ts`), which holds them.
 */
import { PATTERN_WORDS, PATTERNS, type PatternEntry, type PatternWord } from '../patterns';

/** ALB rules send `/lambda/...` to the Lambda tier; the app's routes are the same on both tiers. */
export const LAMBDA_PATH_PREFIX = '/lambda';

type Entry<W extends PatternWord> = (typeof PATTERNS)[W];

/** `{ [routeKey]: albPaths }` over the patterns that serve paths. */
type PatternPaths = {
  readonly [W in PatternWord as Entry<W> extends { readonly routeKey: infer K extends string } ? K : never]:
    Entry<W> extends { readonly albPaths: infer P extends readonly string[] } ? P : never;
};

export const PATTERN_PATHS = Object.fromEntries(
  PATTERN_WORDS.flatMap((word) => {
    const entry: PatternEntry = PATTERNS[word];
    return entry.routeKey !== undefined && entry.albPaths !== undefined ? [[entry.routeKey, entry.albPaths]] : [];
  }),
) as PatternPaths;

export type PatternName = keyof typeof PATTERN_PATHS;
