/**
 * Profiles: the source of truth behind the cache-aside demo. Always used on the primary (see
 * cache-aside wiring: refilling the cache from a lagging replica would re-cache stale data right
 * after an invalidation).
 *
 * @example
 * await saveProfile(pools.primary, { id: 'alice', name: 'Alice', email: 'alice@example.com' });
 * const profile = await findProfile(pools.primary, 'alice');
 */
import { namingField } from './engine-errors';
import type { PgNode } from './pg-pools';

export interface ProfileInput {
  readonly id: string;
  readonly name: string;
  readonly email: string;
}

export interface Profile extends ProfileInput {
  readonly updatedAt: string;
}

interface ProfileRow {
  id: string;
  name: string;
  email: string;
  updated_at: Date;
}

/** True for a value shaped like a Profile (what the cache must hold to serve a hit). */
export function isProfile(value: unknown): value is Profile {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { id, name, email, updatedAt } = value as Record<string, unknown>;
  return [id, name, email, updatedAt].every((field) => typeof field === 'string');
}

const toProfile = (row: ProfileRow): Profile => ({
  id: row.id,
  name: row.name,
  email: row.email,
  updatedAt: row.updated_at.toISOString(),
});

export async function findProfile(node: PgNode, id: string): Promise<Profile | undefined> {
  const [row] = await node.query<ProfileRow>('SELECT id, name, email, updated_at FROM profiles WHERE id = $1', [id]);
  return row === undefined ? undefined : toProfile(row);
}

/** Creates or replaces a profile; `created` tells which (a fresh row has no xmax). */
export async function saveProfile(primary: PgNode, input: ProfileInput): Promise<{ profile: Profile; created: boolean }> {
  const [row] = await primary.query<ProfileRow & { created: boolean }>(
    `INSERT INTO profiles (id, name, email) VALUES ($1, $2, $3)
     ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, email = EXCLUDED.email, updated_at = now()
     RETURNING id, name, email, updated_at, (xmax = 0) AS created`,
    [input.id, input.name, input.email],
  ).catch(namingField('name or email'));
  return { profile: toProfile(row), created: row.created };
}
