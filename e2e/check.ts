/**
 * One end-to-end check: a black-box claim about a deployed pattern, proven over HTTP. A check
 * declares the capabilities it needs; the runner skips it (with the reason) on a target that lacks
 * one. A check may also skip itself at run time when what it finds makes the claim unobservable
 * (e.g. in-memory sessions), and fails by throwing with a message that says what was seen.
 */
import { randomBytes } from 'node:crypto';
import type { Capability } from './capabilities';
import { TierClient } from './http/tier-client';
import type { E2eTarget, TierEndpoint, TierName } from './targets/target';
import { COMPUTE_TIERS } from '../lambdas/config/vocabulary';

/** Thrown by `ctx.skip(reason)`: the check could not observe its claim here; counted as skipped. */
export class CheckSkipped extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'CheckSkipped';
  }
}

/** A claim that did not hold: the message says what was expected and what was seen. */
export class CheckFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckFailed';
  }
}

export interface CheckContext {
  readonly target: E2eTarget;
  /** A client with a fresh cookie jar (one new user). Per-tier checks only. */
  client(): TierClient;
  /** The tier this run of a per-tier check is about. Per-tier checks only. */
  readonly tier: TierEndpoint;
  /** A fresh id, unique to this run, valid as a path parameter (`[A-Za-z0-9_-]`). */
  uniqueId(prefix: string): string;
  skip(reason: string): never;
}

export interface E2eCheck {
  /** Stable id, e.g. `cache-aside@fargate`; `--only` selects by it. */
  readonly id: string;
  readonly title: string;
  readonly needs: readonly Capability[];
  /** The tier a per-tier check runs against. */
  readonly tier?: TierName;
  /** Resolves with a short description of what was seen (the summary shows it on success). */
  run(ctx: CheckContext): Promise<string>;
}

const TIER_CAPABILITY: Record<TierName, Capability> = { fargate: 'fargate', lambda: 'lambda-tier' };

/**
 * Expands one check into a check per compute tier (`<id>@fargate`, `<id>@lambda`), each needing
 * its tier's capability besides `needs`.
 *
 * @example
 * export const cacheAsideChecks = perTier({ id: 'cache-aside', title: '...', needs: ['database', 'cache'], run });
 */
export function perTier(spec: Omit<E2eCheck, 'tier'>): E2eCheck[] {
  return COMPUTE_TIERS.map((tier) => ({
    ...spec,
    id: `${spec.id}@${tier}`,
    tier,
    needs: [TIER_CAPABILITY[tier], ...spec.needs],
  }));
}

/** Builds the context a check runs in. */
export function checkContext(target: E2eTarget, check: E2eCheck): CheckContext {
  const tier = check.tier === undefined ? undefined : target.tiers[check.tier];
  const needTier = (): TierEndpoint => {
    if (tier === undefined) throw new Error(`${check.id} is not a per-tier check, or the target has no ${check.tier} tier`);
    return tier;
  };
  return {
    target,
    get tier() {
      return needTier();
    },
    client: () => new TierClient(needTier(), target.requestTimeoutMs),
    uniqueId: (prefix) => `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`,
    skip: (reason) => {
      throw new CheckSkipped(reason);
    },
  };
}
