/**
 * The playground's control actions and their validation: what the control API accepts, checked
 * in one place before anything is touched. Every problem is reported at once, each as
 * `key: got X; allowed: Y`, so the page's action log says exactly what was wrong.
 *
 * @example
 * const parsed = parseControlAction({ action: 'kill', tier: 'fargate', instance: 'fargate-1' });
 * if (!parsed.ok) reply(400, parsed.problems);
 */
import { SESSION_STORES, type SessionStoreKind } from '../lambdas/config/vocabulary';

export const TIERS = ['fargate', 'lambda'] as const;
export type Tier = (typeof TIERS)[number];

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

/** Validates one field of an action; returns the problem, or undefined when the value is allowed. */
function checkField(field: string, value: unknown, tier: unknown): string | undefined {
  const problem = (allowed: string) => `${field}: got ${shown(value)}; allowed: ${allowed}`;
  switch (field) {
    case 'on':
    case 'running':
      return typeof value === 'boolean' ? undefined : problem('true, false');
    case 'tier':
      return TIERS.includes(value as Tier) ? undefined : problem(TIERS.join(', '));
    case 'instance': {
      const ok = typeof value === 'string' && INSTANCE_NAME.test(value) && (!TIERS.includes(tier as Tier) || value.startsWith(`${tier as string}-`));
      return ok ? undefined : problem(TIERS.includes(tier as Tier) ? `an instance of the ${tier as string} tier, such as ${tier as string}-1` : 'an instance name such as fargate-1');
    }
    case 'ms':
      return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= MAX_REPLAY_DELAY_MS
        ? undefined
        : problem(`an integer from 0 to ${MAX_REPLAY_DELAY_MS}`);
    case 'store':
      return SESSION_STORES.includes(value as SessionStoreKind) ? undefined : problem(SESSION_STORES.join(', '));
    default:
      return problem('nothing');
  }
}

/** Parses a control request body (already JSON-decoded). */
export function parseControlAction(body: unknown): ParsedAction {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, problems: [`body: got ${shown(body)}; allowed: a JSON object such as {"action":"sticky","on":true}`] };
  }
  const record = body as Record<string, unknown>;
  const action = record.action;
  if (typeof action !== 'string' || !(ACTION_NAMES as readonly string[]).includes(action)) {
    return { ok: false, problems: [`action: got ${shown(action)}; allowed: ${ACTION_NAMES.join(', ')}`] };
  }
  const fields = FIELDS[action as ActionName];
  const problems: string[] = [];
  for (const field of fields) {
    const problem = checkField(field, record[field], record.tier);
    if (problem !== undefined) problems.push(problem);
  }
  for (const key of Object.keys(record)) {
    if (key !== 'action' && !fields.includes(key)) {
      problems.push(`${key}: got ${shown(record[key])}; allowed: ${fields.length === 0 ? 'no other field' : fields.join(', ')} for action ${action}`);
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, value: { ...Object.fromEntries(fields.map((f) => [f, record[f]])), action } as ControlAction };
}
