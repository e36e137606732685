/**
 * The one suite, in the order it runs: the reverse proxy first (the cheapest proof that anything
 * answers), then each pattern on each tier, then the multi-master Regions.
 */
import type { E2eCheck } from '../check';
import { cacheAsideChecks } from './cache-aside';
import { counterChecks } from './counters';
import { globalTableChecks } from './global-table';
import { identityChecks } from './identity';
import { readYourWritesChecks } from './read-your-writes';
import { replicationLagChecks } from './replication-lag';
import { sessionChecks } from './sessions';
import { stickyOffCheck, stickyOnCheck } from './stickiness';

export const ALL_CHECKS: readonly E2eCheck[] = [
  ...identityChecks,
  stickyOnCheck,
  stickyOffCheck,
  ...sessionChecks,
  ...cacheAsideChecks,
  ...readYourWritesChecks,
  ...replicationLagChecks,
  ...counterChecks,
  ...globalTableChecks,
];
