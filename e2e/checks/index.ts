/**
 * The one suite, in the order it runs: the reverse proxy first (the cheapest proof that anything
 * answers), then each pattern on each tier, then the multi-master Regions.
 */
import type { E2eCheck } from '../check';
import { cacheAsideChecks } from './cache-aside';
import { counterChecks } from './counters';
import { multiMasterChecks } from './multi-master';
import { reverseProxyChecks } from './reverse-proxy';
import { readReplicaChecks } from './read-replica';
import { replicationLagChecks } from './replication-lag';
import { sessionChecks } from './sessions';
import { stickyOffCheck, stickyOnCheck } from './reverse-proxy-stickiness';

export const ALL_CHECKS: readonly E2eCheck[] = [
  ...reverseProxyChecks,
  stickyOnCheck,
  stickyOffCheck,
  ...sessionChecks,
  ...cacheAsideChecks,
  ...readReplicaChecks,
  ...replicationLagChecks,
  ...counterChecks,
  ...multiMasterChecks,
];
