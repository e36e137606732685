/**
 * The sets of stacks the app is made of, by profile: what `addPatternStacks` / `addAppStacks`
 * (lib/patterns-app.ts) return and what the cdk-nag and cfn-guard acknowledgements (lib/nag/*)
 * walk. A module of their own, so that lib/nag/* does not import lib/patterns-app.ts, which imports it.
 */
import type { StatelessStack } from './compute/stateless-stack';
import type { DataStack } from './data/data-stack';
import type { EdgeLogsStack } from './edge/edge-logs-stack';
import type { EdgeWafStack } from './edge/edge-waf-stack';
import type { GlobalTableStack } from './multi-master/multi-master-table-stack';
import type { RegionalStack } from './multi-master/multi-master-regional-stack';
import type { NetworkStack } from './network/network-stack';

export interface PatternStacks {
  readonly network: NetworkStack;
  readonly data: DataStack;
  readonly globalTable: GlobalTableStack;
  /** One per Region, the primary Region first. */
  readonly regional: readonly RegionalStack[];
  readonly stateless: StatelessStack;
  /** The us-east-1 web ACL stack: only with edge=cloudfront, waf=true and a primary Region elsewhere. */
  readonly edgeWaf?: EdgeWafStack;
  /** The us-east-1 CloudFront access-log stack: only with edge=cloudfront, edge logs on and a primary Region elsewhere. */
  readonly edgeLogs?: EdgeLogsStack;
}

/** The multi-master stacks: all of `profile=localstack`, part of the full app. */
export interface MultiMasterStacks {
  readonly globalTable: GlobalTableStack;
  /** One per Region, the primary Region first. */
  readonly regional: readonly RegionalStack[];
}

/** What `addAppStacks` created, by profile. */
export type AppStacks =
  | { readonly profile: 'full'; readonly stacks: PatternStacks }
  | { readonly profile: 'localstack'; readonly stacks: MultiMasterStacks };
