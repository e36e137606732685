/**
 * The registry of the lab: every experiment, in the order the runner shows them (that of
 * EXPERIMENT_IDS). Each module `./<id>` exports `<camelCaseId>Experiment`.
 */
import type { Experiment } from '../experiment';
import { autoscaleExperiment } from './autoscale';
import { cacheAsideExperiment } from './cache-aside';
import { connectionStormExperiment } from './connection-storm';
import { countersExperiment } from './counters';
import { failoverLossExperiment } from './failover-loss';
import { multiMasterExperiment } from './multi-master';
import { readReplicaLagExperiment } from './read-replica-lag';
import { reverseProxyScaleOutExperiment } from './reverse-proxy-scale-out';
import { sessionsMemoryExperiment } from './sessions-memory';
import { sessionsOverheadExperiment } from './sessions-overhead';
import { sessionsInstanceLossExperiment } from './sessions-instance-loss';
import { syncReplicationExperiment } from './sync-replication';

export const EXPERIMENTS: readonly Experiment[] = [
  reverseProxyScaleOutExperiment,
  sessionsInstanceLossExperiment,
  sessionsMemoryExperiment,
  sessionsOverheadExperiment,
  cacheAsideExperiment,
  readReplicaLagExperiment,
  syncReplicationExperiment,
  failoverLossExperiment,
  multiMasterExperiment,
  countersExperiment,
  connectionStormExperiment,
  autoscaleExperiment,
];
