/**
 * What the console reads from the routes it calls. Type-only imports of the runtime's own types
 * wherever a route returns one, so a change of a route's shape fails `npm run typecheck` here;
 * `import type` is erased, so the browser bundle carries no server code.
 */
import type { CacheOutcome } from '../../core/cache-aside';
import type { CounterReading } from '../../core/counters';
import type { InstanceDescription } from '../../core/reverse-proxy-identity';
import type { ItemReadResult, ItemWriteResult } from '../../core/multi-master';
import type { ReadReason } from '../../core/read-replica-router';
import type { replicationLagToJson } from '../../core/replication-lag';
import type { SessionView } from '../../core/sessions';
import type { ErrorBody } from '../../http/error-response';

export type { CounterReading, InstanceDescription, ItemReadResult, ItemWriteResult };

/** `GET /whoami` (reverse-proxy-routes.ts). */
export type WhoamiResponse = InstanceDescription;

/** `GET /session`, `POST /session/cart` (sessions-routes.ts adds the instance that answered). */
export type SessionResponse = SessionView & { readonly instanceId: string };

/** `GET /profiles/:id` (cache-aside-routes.ts). */
export interface ProfileReadResponse {
  readonly cache: CacheOutcome;
  readonly elapsedMs: number;
}

/** `PUT /profiles/:id` (cache-aside-routes.ts). */
export interface ProfileWriteResponse {
  readonly created: boolean;
  readonly invalidated: boolean;
}

/** `POST /notes` (read-replica-routes.ts). */
export interface NoteWriteResponse {
  readonly id: string;
  readonly lsn: string;
}

/** `GET /notes/:id`, and its 404 body when the node read does not have the note yet. */
export interface NoteReadResponse {
  readonly servedBy: string;
  readonly reason: ReadReason;
}

/** `GET /replication/lag` (replication-lag-routes.ts). */
export type ReplicationLagResponse = ReturnType<typeof replicationLagToJson>;
export type ReplicaLagJson = ReplicationLagResponse['replicas'][number];

/**
 * The error body of every route (error-response.ts), plus the detail lists some add
 * (`problems`, `issues`) and the fields of a 404 from a replica (`servedBy`, `reason`).
 */
export type ErrorResponse = Partial<ErrorBody> & {
  readonly problems?: ReadonlyArray<string | { readonly path?: string; readonly message?: string }>;
  readonly issues?: ReadonlyArray<string | { readonly path?: string; readonly message?: string }>;
};

/** One Region of the multi-master panel: its name and the path prefix of its routes. */
export interface RegionBase {
  readonly name: string;
  readonly base: string;
}

/**
 * `GET /_playground/state` as the console reads it. Kept here rather than imported: it is the
 * harness's (harness/playground-state.ts, `PlaygroundState`), which the runtime may not import;
 * test/unit/console-bundle.test.ts checks that the harness's type still fits this one.
 */
export interface PlaygroundStateView {
  readonly playground: true;
  readonly sticky: boolean;
  readonly sessionStore: string;
  readonly instances: ReadonlyArray<{ readonly tier: string; readonly name: string; readonly status: string }>;
  readonly redis: 'up' | 'reconnecting' | 'down';
  readonly replication: { readonly delayMs: number; readonly frozen: boolean };
  readonly partitioned: boolean;
  readonly regions: readonly RegionBase[];
  readonly log: ReadonlyArray<{ readonly at: string; readonly action: string; readonly ok: boolean; readonly message: string }>;
}

/** `POST /_playground/actions`: every control action the console sends. */
export type ControlAction =
  | { readonly action: 'sticky'; readonly on: boolean }
  | { readonly action: 'add'; readonly tier: 'fargate' | 'lambda' }
  | { readonly action: 'kill' | 'restart'; readonly tier: string; readonly instance: string }
  | { readonly action: 'session-store'; readonly store: string }
  | { readonly action: 'replay-delay'; readonly ms: number }
  | { readonly action: 'freeze-replication' | 'thaw-replication' | 'hold-replicator' | 'release-replicator' }
  | { readonly action: 'redis'; readonly running: boolean };

/** The reply of `POST /_playground/actions` (or the console's own stand-in when there is none). */
export interface ControlReply {
  readonly ok: boolean;
  readonly message: string;
}
