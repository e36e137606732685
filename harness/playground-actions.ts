/**
 * The playground's control actions and their validation: what the control API accepts, checked
 * in one place, through the field schemas every configuration shares, before anything is
 * touched. Every problem is reported at once, each as `key: got X; allowed: Y`, so the page's action log says exactly what was wrong.
 *
 * @example
 * const parsed = parseControlAction({ action: 'kill', tier: 'fargate', instance: 'fargate-1' });
 * if (!parsed.ok) reply(400, parsed.problems);
 */
import type * as z from 'zod/mini';
import { ConfigProblems } from '../lambdas/config/config-problems';
import { jsonBoolean, jsonIntegerIn, jsonOneOf } from '../lambdas/config/schemas';
import { COMPUTE_TIERS, type ComputeTier, SESSION_STORES, type SessionStoreKind } from '../lambdas/config/vocabulary';

/** The playground's two pools: the compute tiers of the vocabulary. */
export const TIERS = COMPUTE_TIERS;
export type Tier = ComputeTier;

/** Longest replica replay delay the playground sets: a minute is already far beyond any demo. */
export const MAX_REPLAY_DELAY_MS = 60_000;

export type ControlAction =
  | { readonly action: 'sticky'; readonly on: boolean }
  | { readonly action: 'kill' | 'restart'; readonly tier: Tier; readonly instance: string }
  | { readonly action: 'add'; readonly tier: Tier }
  | { readonly action: 'replay-delay'; readonly ms: number }
  | { readonly action: 'freeze-replication' | 'thaw-replication' | 'hold-replicator' | 'release-replicator' }
  | { readonly action: 'redis'; readonly running: boolean }
  | { readonly action: 'session-store'; readonly store: SessionStoreKind };

export type ActionName = ControlAction['action'];

/** The fields each action takes (besides `action`). */
const FIELDS: Readonly<Record<ActionName, readonly string[]>> = {
  sticky: ['on'],
  kill: ['tier', 'instance'],
  restart: ['tier', 'instance'],
  add: ['tier'],
  'replay-delay': ['ms'],
  'freeze-replication': [],
  'thaw-replication': [],
  'hold-replicator': [],
  'release-replicator': [],
  redis: ['running'],
  'session-store': ['store'],
};

export const ACTION_NAMES = Object.keys(FIELDS) as readonly ActionName[];

export type ParsedAction = { readonly ok: true; readonly value: ControlAction } | { readonly ok: false; readonly problems: readonly string[] };

function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

const INSTANCE_NAME = /^(fargate|lambda)-\d{1,2}$/;

/** How the action log quotes a value: `nothing` when absent, long values cut. */
const problemLine = (key: string, got: unknown, allowed: string) => `${key}: got ${shown(got)}; allowed: ${allowed}`;

/** The schema of each field an action takes (the instance depends on the tier: checked on its own). */
const FIELD_SCHEMAS: Readonly<Record<string, z.ZodMiniType<unknown, unknown>>> = {
  on: jsonBoolean,
  running: jsonBoolean,
  tier: jsonOneOf(TIERS),
  ms: jsonIntegerIn(0, MAX_REPLAY_DELAY_MS),
  store: jsonOneOf(SESSION_STORES),
};

/** An instance name, of the action's tier when that tier is valid. */
function checkInstance(value: unknown, tier: unknown, problems: ConfigProblems): void {
  const knownTier = TIERS.includes(tier as Tier);
  const ok = typeof value === 'string' && INSTANCE_NAME.test(value) && (!knownTier || value.startsWith(`${tier as string}-`));
  if (!ok) problems.add('instance', value, knownTier ? `an instance of the ${tier as string} tier, such as ${tier as string}-1` : 'an instance name such as fargate-1');
}

/** Parses a control request body (already JSON-decoded). */
export function parseControlAction(body: unknown): ParsedAction {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, problems: [problemLine('body', body, 'a JSON object such as {"action":"sticky","on":true}')] };
  }
  const record = body as Record<string, unknown>;
  const action = record.action;
  if (typeof action !== 'string' || !(ACTION_NAMES as readonly string[]).includes(action)) {
    return { ok: false, problems: [problemLine('action', action, ACTION_NAMES.join(', '))] };
  }
  const fields = FIELDS[action as ActionName];
  const problems = new ConfigProblems(problemLine);
  for (const field of fields) {
    if (field === 'instance') checkInstance(record.instance, record.tier, problems);
    else problems.field(field, FIELD_SCHEMAS[field], record[field]);
  }
  for (const key of Object.keys(record)) {
    if (key !== 'action' && !fields.includes(key)) {
      problems.add(key, record[key], `${fields.length === 0 ? 'no other field' : fields.join(', ')} for action ${action}`);
    }
  }
  if (problems.list.length > 0) return { ok: false, problems: problems.list };
  return { ok: true, value: { ...Object.fromEntries(fields.map((f) => [f, record[f]])), action } as ControlAction };
}
