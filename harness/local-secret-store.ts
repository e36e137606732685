/**
 * An in-memory stand-in for Secrets Manager, as much of it as a rotation touches: versions with
 * staging labels (AWSCURRENT, AWSPENDING, AWSPREVIOUS), the calls a rotation function makes
 * (DescribeSecret, GetSecretValue by stage or version, PutSecretValue, UpdateSecretVersionStage,
 * GetRandomPassword), the version RotateSecret opens before the first step, and, for the tiers, a
 * per-process reader that caches each secret until asked to fetch again, as the runtime's resolver
 * (Powertools Parameters) does within its max age. Never deployed: the lab and the tests use it.
 *
 * @example
 * const store = new LocalSecretStore();
 * const arn = store.create('app', { username: 'patterns_app', password: 'x', host: '127.0.0.1' });
 * const resolver = store.resolver(); // one process's cached view
 * await resolver.resolve({ kind: 'secretsManager', arn }, 'password');
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { ResolveOptions, SecretResolver } from '../lambdas/adapters/secrets';
import type { SecretSource } from '../lambdas/config/runtime-config';

export const AWSCURRENT = 'AWSCURRENT';
export const AWSPENDING = 'AWSPENDING';
export const AWSPREVIOUS = 'AWSPREVIOUS';

interface Version {
  readonly id: string;
  /** Undefined for the version RotateSecret opens and createSecret fills. */
  value?: string;
  readonly stages: Set<string>;
}

/** GetSecretValue of a stage or version that holds no value (Secrets Manager's ResourceNotFoundException). */
export class SecretNotFoundError extends Error {
  constructor(detail: string) {
    super(`ResourceNotFoundException: ${detail}`);
    this.name = 'SecretNotFoundError';
  }
}

/** A process's reader of the store: cached per secret until a forced fetch; counts both kinds of read. */
export interface CountingSecretResolver extends SecretResolver {
  /** Reads that went to the store (first reads and forced ones). */
  readonly fetches: number;
  /** Forced reads: each one follows a login the database or the proxy refused. */
  readonly forcedFetches: number;
}

export class LocalSecretStore {
  private readonly secrets = new Map<string, Version[]>();

  /** Creates a secret whose AWSCURRENT version holds `value` (JSON); returns its ARN. */
  create(name: string, value: Record<string, unknown>): string {
    // The shape the runtime's configuration accepts (a Secrets Manager ARN); never a real one.
    const arn = `arn:aws:secretsmanager:local-1:000000000000:secret:${name}-${randomBytes(3).toString('hex')}`;
    this.secrets.set(arn, [{ id: randomUUID(), value: JSON.stringify(value), stages: new Set([AWSCURRENT]) }]);
    return arn;
  }

  /** DescribeSecret's VersionIdsToStages. */
  versionStages(arn: string): Record<string, string[]> {
    return Object.fromEntries(this.versions(arn).filter((v) => v.stages.size > 0).map((v) => [v.id, [...v.stages]]));
  }

  /** What RotateSecret does before it calls the function: a new version, labelled AWSPENDING, with no value yet. */
  openRotation(arn: string, token: string = randomUUID()): string {
    const versions = this.versions(arn);
    for (const version of versions) version.stages.delete(AWSPENDING);
    versions.push({ id: token, stages: new Set([AWSPENDING]) });
    return token;
  }

  /** GetSecretValue by stage (AWSCURRENT by default) and, if given, version id: the JSON parsed. */
  get(arn: string, stage: string = AWSCURRENT, versionId?: string): Record<string, unknown> {
    const version = this.versions(arn).find((v) => v.stages.has(stage) && (versionId === undefined || v.id === versionId));
    if (version?.value === undefined) throw new SecretNotFoundError(`no value staged ${stage}${versionId === undefined ? '' : ` in version ${versionId}`} of ${arn}`);
    return JSON.parse(version.value) as Record<string, unknown>;
  }

  /** PutSecretValue with a client request token (the version id) and staging labels. */
  put(arn: string, versionId: string, value: Record<string, unknown>, stages: readonly string[]): void {
    const versions = this.versions(arn);
    for (const stage of stages) for (const version of versions) version.stages.delete(stage);
    const existing = versions.find((v) => v.id === versionId);
    if (existing === undefined) versions.push({ id: versionId, value: JSON.stringify(value), stages: new Set(stages) });
    else {
      existing.value = JSON.stringify(value);
      for (const stage of stages) existing.stages.add(stage);
    }
  }

  /**
   * UpdateSecretVersionStage: moves `stage` to `versionId`. Moving AWSCURRENT labels the version
   * it leaves AWSPREVIOUS, as Secrets Manager does.
   */
  moveStage(arn: string, stage: string, versionId: string): void {
    const versions = this.versions(arn);
    const target = versions.find((v) => v.id === versionId);
    if (target === undefined) throw new SecretNotFoundError(`no version ${versionId} of ${arn}`);
    const left = versions.find((v) => v.stages.has(stage));
    left?.stages.delete(stage);
    target.stages.add(stage);
    if (stage === AWSCURRENT && left !== undefined && left !== target) {
      for (const version of versions) version.stages.delete(AWSPREVIOUS);
      left.stages.add(AWSPREVIOUS);
    }
  }

  /** GetRandomPassword: 32 characters, none of `exclude`. */
  randomPassword(exclude: string): string {
    const alphabet = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#%^_-=,.'].filter((c) => !exclude.includes(c));
    return [...randomBytes(32)].map((byte) => alphabet[byte % alphabet.length]).join('');
  }

  /** One process's reader (its own cache), counting what it fetches. */
  resolver(): CountingSecretResolver {
    const cache = new Map<string, Record<string, unknown>>();
    const counts = { fetches: 0, forcedFetches: 0 };
    return {
      get fetches() {
        return counts.fetches;
      },
      get forcedFetches() {
        return counts.forcedFetches;
      },
      resolve: async (source: SecretSource, jsonField?: string, options: ResolveOptions = {}) => {
        if (source.kind === 'value') return source.value;
        let value = cache.get(source.arn);
        if (value === undefined || options.forceFetch === true) {
          counts.fetches += 1;
          if (options.forceFetch === true) counts.forcedFetches += 1;
          value = this.get(source.arn);
          cache.set(source.arn, value);
        }
        const field = jsonField ?? source.jsonField;
        if (field === undefined) return JSON.stringify(value);
        const text = value[field];
        if (typeof text !== 'string') throw new Error(`secret ${source.arn} has no string field '${field}'`);
        return text;
      },
    };
  }

  private versions(arn: string): Version[] {
    const versions = this.secrets.get(arn);
    if (versions === undefined) throw new SecretNotFoundError(`no secret ${arn}`);
    return versions;
  }
}
