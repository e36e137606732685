/**
 * What the diagram and the plots draw: the playground's control state when there is one, otherwise
 * only what this page saw (instances from `x-served-by`, replicas from `GET replication/lag`, its
 * own Region); and the histories the plots keep.
 */
import type { RegionBase } from './api-types';

export interface DiagramInstance {
  readonly name: string;
  readonly tier: string;
  /** HAProxy's word (UP, DOWN, DRAIN, NOLB...), or SEEN for an instance known only from a response. */
  readonly status: string;
}

export interface DiagramModel {
  playground: boolean;
  instances: DiagramInstance[];
  redis: 'unknown' | 'up' | 'reconnecting' | 'down';
  replicas: string[];
  frozen: boolean;
  delayMs: number;
  partitioned: boolean;
  regions: readonly RegionBase[];
  /** Requests per instance, as this page counted them. */
  served: Record<string, number>;
}

export interface LagPoint {
  readonly t: number;
  readonly bytes: number | null;
  readonly ms: number | null;
}

export interface Burst {
  readonly kind: 'hot' | 'sharded';
  readonly msEach: number;
}

/** Hit, miss and bypass counts of this page's profile reads. */
export type CacheCounts = Partial<Record<'hit' | 'miss' | 'bypass', number>>;

/** How far back the lag plots reach. */
export const HISTORY_MS = 5 * 60 * 1000;

export const diagramState = {
  model: {
    playground: false,
    instances: [],
    redis: 'unknown',
    replicas: [],
    frozen: false,
    delayMs: 0,
    partitioned: false,
    regions: [],
    served: {},
  } as DiagramModel,
  /** Per replica, oldest first. */
  lagHistory: {} as Record<string, LagPoint[]>,
  bursts: [] as Burst[],
  cache: {} as CacheCounts,
};

/** The replica's latest lag sample, null before the first. */
export function lagOf(name: string): LagPoint | null {
  const h = diagramState.lagHistory[name];
  return h && h.length ? h[h.length - 1] : null;
}

/** An instance's state in one word (also its class on the diagram). */
export function instanceState(inst: DiagramInstance): 'draining' | 'up' | 'seen' | 'down' {
  const s = String(inst.status || '').toUpperCase();
  if (s.indexOf('DRAIN') === 0 || s === 'NOLB') return 'draining';
  if (s.indexOf('UP') === 0) return 'up';
  if (s === 'SEEN') return 'seen';
  return 'down';
}
