/**
 * Which Availability Zones the VPC uses, by zone ID. Zone names (`us-east-1a`) are shuffled per
 * account; zone IDs (`use1-az1`) name the same physical zone in every account. Some zones lack a
 * service this app uses: RDS Proxy is not supported in `use1-az3` (Amazon RDS User Guide, "Quotas and
 * limitations for RDS Proxy"), and taking "the first two names" can land there on older accounts.
 * So the subnets name zone IDs (`AWS::EC2::Subnet` `AvailabilityZoneId`), chosen per Region here.
 */

/** Zone IDs where a service this app deploys is documented as unsupported, with the source. */
export const UNSUPPORTED_ZONE_IDS: Readonly<Record<string, string>> = {
  'use1-az3': 'RDS Proxy is not supported there (Amazon RDS User Guide, "Quotas and limitations for RDS Proxy")',
};

/**
 * The default pair of zone IDs per Region (the Regions of the global-table Region sets). Each is a
 * zone every account of the Region has, and none is in UNSUPPORTED_ZONE_IDS. Other Regions need
 * `-c availabilityZones=<id>,<id>`.
 */
export const DEFAULT_ZONE_IDS: Readonly<Record<string, readonly [string, string]>> = {
  'us-east-1': ['use1-az1', 'use1-az2'],
  'us-east-2': ['use2-az1', 'use2-az2'],
  'us-west-2': ['usw2-az1', 'usw2-az2'],
  'eu-west-1': ['euw1-az1', 'euw1-az2'],
  'eu-west-2': ['euw2-az1', 'euw2-az2'],
  'eu-west-3': ['euw3-az1', 'euw3-az2'],
  'eu-central-1': ['euc1-az1', 'euc1-az2'],
  'ap-northeast-1': ['apne1-az1', 'apne1-az2'],
  'ap-northeast-2': ['apne2-az1', 'apne2-az2'],
  'ap-northeast-3': ['apne3-az1', 'apne3-az2'],
};

/**
 * The value that keeps a VPC deployed before zone IDs were used: its subnets named the first two
 * zone names of the account. Moving such a VPC to zone IDs replaces its subnets (and fails, their
 * CIDR blocks being in use), so it keeps this placement until it is rebuilt.
 */
export const FIRST_TWO_NAMES = 'first-two-names';

/** Zone placement of the VPC: two zone IDs, or the first two zone names of the account (legacy). */
export type ZonePlacement = { readonly kind: 'ids'; readonly zoneIds: readonly string[] } | { readonly kind: typeof FIRST_TWO_NAMES };

const ZONE_ID = /^([a-z]+[0-9]+)-az[0-9]+$/;

/** The allowed-values text of the `availabilityZones` key for `region`. */
export function allowedZones(region: string): string {
  const example = DEFAULT_ZONE_IDS[region]?.join(',') ?? 'use1-az1,use1-az2 for us-east-1';
  const unsupported = Object.keys(UNSUPPORTED_ZONE_IDS).join(', ');
  return `two distinct zone IDs of ${region}, e.g. ${example} (aws ec2 describe-availability-zones --region ${region} lists them), none of ${unsupported}; or ${FIRST_TWO_NAMES} for a VPC deployed before zone IDs`;
}

/**
 * Reads the `availabilityZones` value for `region` (undefined: the Region's default); returns the
 * placement, or undefined when the value is not allowed (the caller reports `allowedZones(region)`).
 */
export function zonePlacement(region: string, value: string | undefined): ZonePlacement | undefined {
  if (value === FIRST_TWO_NAMES) return { kind: FIRST_TWO_NAMES };
  const zoneIds = value === undefined ? DEFAULT_ZONE_IDS[region] : value.split(',').map((id) => id.trim());
  if (zoneIds === undefined || zoneIds.length !== 2 || new Set(zoneIds).size !== 2) return undefined;
  const prefixes = zoneIds.map((id) => ZONE_ID.exec(id)?.[1]);
  const regionPrefix = DEFAULT_ZONE_IDS[region]?.[0].split('-')[0];
  if (prefixes.some((p) => p === undefined || p !== prefixes[0] || (regionPrefix !== undefined && p !== regionPrefix))) return undefined;
  if (zoneIds.some((id) => UNSUPPORTED_ZONE_IDS[id] !== undefined)) return undefined;
  return { kind: 'ids', zoneIds };
}
