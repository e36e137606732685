/**
 * The data stack's RDS instances of one configuration, split into the primary and its read replicas
 * (a replica names its source; the primary does not).
 */
import { synthPatterns } from './synth-patterns';

type Resources = Record<string, { Properties: Record<string, unknown> }>;

export function dbInstances(overrides: Record<string, string> = {}) {
  const template = synthPatterns(overrides).template('data');
  const all = template.findResources('AWS::RDS::DBInstance') as Resources;
  const primaries = Object.entries(all).filter(([, r]) => r.Properties.SourceDBInstanceIdentifier === undefined);
  const replicas = Object.entries(all).filter(([, r]) => r.Properties.SourceDBInstanceIdentifier !== undefined);
  return { template, primaries, replicas };
}
