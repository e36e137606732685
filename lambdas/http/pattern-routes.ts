/**
 * A pattern's routes as both hosts mount them: built from the configuration, or, when that
 * configuration is absent or invalid, routes on the pattern's paths that answer 503 naming the
 * pattern (the problems go to the log). The container server and every Lambda handler go through
 * here, so a misconfigured pattern answers the same on both tiers instead of failing the Lambda
 * init (which the ALB shows as a 502).
 */
import type { Hono } from 'hono';
import { ConfigurationError } from '../config/runtime-config';
import type { RegisterRoutes } from './app';
import { errorJson } from './error-response';
import { logger } from '../observability/logger';
import { PATTERN_PATHS, type PatternName } from './pattern-paths';

/** Routes that answer 503 for a pattern this instance could not configure, saying why in the log. */
export function unconfiguredRoutes(pattern: PatternName, problems: readonly string[]): RegisterRoutes {
  logger.warn('pattern not configured', { pattern, problems });
  return (app: Hono) => {
    for (const path of PATTERN_PATHS[pattern]) {
      // The problems are in this instance's start-up log, not in a response: they can name hosts.
      app.all(path, (c) =>
        errorJson(c, 503, 'PatternNotConfigured', `The ${pattern} pattern is not configured on this instance; see its start-up log`),
      );
    }
  };
}

export interface PatternRoutes {
  readonly routes: RegisterRoutes;
  /** Why the pattern answers 503; absent when it is configured. */
  readonly problems?: readonly string[];
}

/**
 * Builds a pattern's routes; a ConfigurationError becomes `unconfiguredRoutes`, any other failure
 * (a bug, an unreachable engine during a build that connects) propagates.
 *
 * @example
 * const { routes, problems } = await buildPatternRoutes('sessions', () => buildSessionRoutes(clients, identity));
 */
export async function buildPatternRoutes(pattern: PatternName, build: () => Promise<RegisterRoutes>): Promise<PatternRoutes> {
  try {
    return { routes: await build() };
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    return { routes: unconfiguredRoutes(pattern, error.problems), problems: error.problems };
  }
}

/** `buildPatternRoutes` for a host that serves one pattern (a Lambda handler). */
export async function patternRoutesOrUnconfigured(pattern: PatternName, build: () => Promise<RegisterRoutes>): Promise<RegisterRoutes> {
  return (await buildPatternRoutes(pattern, build)).routes;
}
