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
import { replicaLagExperiment } from './replica-lag';
import { scaleOutExperiment } from './scale-out';
import { sessionMemoryExperiment } from './session-memory';
import { sessionOverheadExperiment } from './session-overhead';
import { stickyFailoverExperiment } from './sticky-failover';
import { syncVsAsyncExperiment } from './sync-vs-async';

export const EXPERIMENTS: readonly Experiment[] = [
  scaleOutExperiment,
  stickyFailoverExperiment,
  sessionMemoryExperiment,
  sessionOverheadExperiment,
  cacheAsideExperiment,
  replicaLagExperiment,
  syncVsAsyncExperiment,
  failoverLossExperiment,
  multiMasterExperiment,
  countersExperiment,
  connectionStormExperiment,
  autoscaleExperiment,
];
