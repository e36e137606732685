import { parseAppConfig } from '../../lib/config/app-config';
import { DEFAULT_ZONE_IDS, UNSUPPORTED_ZONE_IDS } from '../../lib/config/availability-zones';
import { synthPatterns } from '../support/synth-patterns';

type Resources = Record<string, { Properties: Record<string, unknown> }>;

function subnetsOf(overrides: Record<string, string> = {}) {
  const synthesized = synthPatterns(overrides);
  const subnets = Object.values(synthesized.template('network').findResources('AWS::EC2::Subnet') as Resources).map((s) => s.Properties);
  return { synthesized, subnets };
}

function problemsOf(context: Record<string, string>): readonly string[] {
  try {
    parseAppConfig((key) => context[key]);
    return [];
  } catch (error) {
    return (error as { problems: readonly string[] }).problems;
  }
}

describe('Availability Zones of the VPC', () => {
  it('places every subnet by zone ID in the checked default pair, never in a zone a service lacks', () => {
    // Act
    const { subnets } = subnetsOf();

    // Assess: 3 tiers x 2 zones, all by ID (the same physical zone in every account)
    expect(subnets).toHaveLength(6);
    expect(subnets.every((subnet) => subnet.AvailabilityZone === undefined)).toBe(true);
    expect(new Set(subnets.map((subnet) => subnet.AvailabilityZoneId))).toEqual(new Set(DEFAULT_ZONE_IDS['us-east-1']));
    expect(subnets.filter((subnet) => Object.keys(UNSUPPORTED_ZONE_IDS).includes(subnet.AvailabilityZoneId as string))).toEqual([]);
  });

  it("uses the primary Region's pair, or the pair given, and needs no zone lookup for it", () => {
    // Act
    const europe = subnetsOf({ primaryRegion: 'eu-west-1', replicaRegions: 'eu-west-2' });
    const given = subnetsOf({ primaryRegion: 'sa-east-1', replicaRegions: 'us-east-1', availabilityZones: 'sae1-az1,sae1-az3' });

    // Assess: sa-east-1 has no cached lookup in cdk.context.json, and none is asked for
    expect(new Set(europe.subnets.map((subnet) => subnet.AvailabilityZoneId))).toEqual(new Set(['euw1-az1', 'euw1-az2']));
    expect(new Set(given.subnets.map((subnet) => subnet.AvailabilityZoneId))).toEqual(new Set(['sae1-az1', 'sae1-az3']));
    expect(given.synthesized.app.synth().manifest.missing).toBeUndefined();
  });

  it('keeps a VPC deployed before zone IDs on its first two zone names with first-two-names', () => {
    // Act
    const { subnets } = subnetsOf({ availabilityZones: 'first-two-names' });

    // Assess
    expect(new Set(subnets.map((subnet) => subnet.AvailabilityZone))).toEqual(new Set(['us-east-1a', 'us-east-1b']));
    expect(subnets.every((subnet) => subnet.AvailabilityZoneId === undefined)).toBe(true);
  });

  const allowedUsEast1 =
    'two distinct zone IDs of us-east-1, e.g. use1-az1,use1-az2 (aws ec2 describe-availability-zones --region us-east-1 lists them), none of use1-az3; or first-two-names for a VPC deployed before zone IDs';
  it.each([
    [{ availabilityZones: 'use1-az1,use1-az3' }, `availabilityZones: got "use1-az1,use1-az3"; allowed: ${allowedUsEast1}`],
    [{ availabilityZones: 'use1-az1' }, `availabilityZones: got "use1-az1"; allowed: ${allowedUsEast1}`],
    [{ availabilityZones: 'use1-az1,use1-az1' }, `availabilityZones: got "use1-az1,use1-az1"; allowed: ${allowedUsEast1}`],
    [{ availabilityZones: 'use1-az1,use2-az2' }, `availabilityZones: got "use1-az1,use2-az2"; allowed: ${allowedUsEast1}`],
    [{ availabilityZones: 'us-east-1a,us-east-1b' }, `availabilityZones: got "us-east-1a,us-east-1b"; allowed: ${allowedUsEast1}`],
    [
      { primaryRegion: 'sa-east-1', replicaRegions: 'us-east-1' },
      'availabilityZones: got undefined; allowed: two distinct zone IDs of sa-east-1, e.g. use1-az1,use1-az2 for us-east-1 (aws ec2 describe-availability-zones --region sa-east-1 lists them), none of use1-az3; or first-two-names for a VPC deployed before zone IDs',
    ],
  ])('refuses %j with an exact message', (context, message) => {
    expect(problemsOf(context)).toEqual([message]);
  });
});
