/**
 * PostgreSQL refuses to run as root, so when the harness runs as root (CI, containers) it spawns
 * the engine as the `postgres` OS user directly (uid/gid spawn options, so the PID we hold is the
 * postmaster itself) and hands it ownership of its folders.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface OsUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

/** The account to run PostgreSQL as: `postgres` when we are root, otherwise ourselves. */
export function postgresOsUser(): OsUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = fs
    .readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('postgres:'));
  if (line === undefined) throw new Error('running as root, but there is no "postgres" OS user to run PostgreSQL as');
  const [name, , uid, gid] = line.split(':');
  return { name, uid: Number(uid), gid: Number(gid) };
}

/** Spawn options that run a command as `user` (nothing when we are not root). */
export function runAs(user: OsUser | undefined): { uid?: number; gid?: number } {
  return user === undefined ? {} : { uid: user.uid, gid: user.gid };
}

/** chown -R, a no-op when no user switch is needed. */
export function chownTree(target: string, user: OsUser | undefined): void {
  if (user === undefined) return;
  fs.chownSync(target, user.uid, user.gid);
  if (!fs.statSync(target).isDirectory()) return;
  for (const entry of fs.readdirSync(target, { recursive: true }) as string[]) {
    fs.lchownSync(path.join(target, entry), user.uid, user.gid);
  }
}

/**
 * Lets another user reach `dir`: adds search (o+x) permission to every ancestor that lacks it.
 * initdb fails with a confusing "could not change directory" when a parent is root-only.
 */
export function makeAncestorsTraversable(dir: string): void {
  let current = path.dirname(path.resolve(dir));
  for (;;) {
    const mode = fs.statSync(current).mode;
    if ((mode & 0o001) === 0) fs.chmodSync(current, (mode & 0o7777) | 0o001);
    const parent = path.dirname(current);
    if (parent === current) return;
    current = parent;
  }
}
