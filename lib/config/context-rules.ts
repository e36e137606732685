/**
 * Reading the CDK context through its field schemas (`context-schema.ts`), and the rules that
 * span several keys (Region lists, multi-Region strong consistency, the budget's email). Every
 * problem goes to one `ConfigProblems`, in the order the keys are read.
 */
import type * as z from 'zod/mini';
import { ConfigProblems } from '../../lambdas/config/config-problems';
import { AWS_REGION_PATTERN, configText, cookieName } from '../../lambdas/config/schemas';
import { CONTEXT_DEFAULTS, CONTEXT_FIELDS, type ContextKey, type ContextReader, type FieldKey, MRSC_REGION_SETS } from './context-schema';

/** One parse of the context: the values read so far and every problem found. */
export class ContextReading {
  readonly problems = new ConfigProblems();

  constructor(readonly read: ContextReader) {}

  /** The key's text: the value given, or its default, trimmed; undefined when blank. */
  text(key: ContextKey): string | undefined {
    return configText(this.read(key) ?? CONTEXT_DEFAULTS[key]);
  }

  /** The key through its schema; on a problem, its default (so that later rules still run). */
  field<K extends FieldKey>(key: K): z.output<(typeof CONTEXT_FIELDS)[K]> {
    return this.fieldOr(key, CONTEXT_DEFAULTS[key] as z.output<(typeof CONTEXT_FIELDS)[K]>, this.read(key));
  }

  /** The key through its schema; on a problem, `fallback`; the problem quotes `got`. */
  fieldOr<K extends FieldKey, F>(key: K, fallback: F, got: unknown): z.output<(typeof CONTEXT_FIELDS)[K]> | F {
    const schema: z.ZodMiniType<unknown, string | undefined> = CONTEXT_FIELDS[key];
    const value = this.problems.field(key, schema, this.text(key), got);
    return value === undefined ? fallback : (value as z.output<(typeof CONTEXT_FIELDS)[K]>);
  }

  add(key: string, got: unknown, allowed: string): void {
    this.problems.add(key, got, allowed);
  }
}

/** stickyCookieName when sticky=app: present, not the ALB's own prefix, a cookie token. */
export function checkStickyCookieName(c: ContextReading, name: string | undefined): void {
  if (name === undefined) {
    c.add('stickyCookieName', c.read('stickyCookieName'), 'a cookie name (required when sticky=app), e.g. SESSION');
  } else if (/^AWSALB/i.test(name)) {
    c.add('stickyCookieName', name, 'a name not starting with AWSALB (reserved by the load balancer)');
  } else {
    c.problems.field('stickyCookieName', cookieName, name);
  }
}

export function isRegion(value: string): boolean {
  return AWS_REGION_PATTERN.test(value);
}

/** replicaRegions: at least one valid Region, none twice, not the primary. */
export function readRegionList(c: ContextReading, primary: string | undefined): string[] {
  const key = 'replicaRegions';
  const regions = (c.text(key) ?? '')
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r !== '');
  if (regions.length === 0) {
    c.add(key, c.read(key), 'a comma-separated list of at least one AWS Region, distinct from primaryRegion');
    return [];
  }
  const invalid = regions.filter((r) => !isRegion(r));
  if (invalid.length > 0) {
    c.add(key, c.read(key), `AWS Region codes such as us-east-2 (not valid: ${invalid.join(', ')})`);
  }
  if (primary !== undefined && regions.includes(primary)) {
    c.add(key, c.read(key), `Regions other than primaryRegion (${primary})`);
  }
  const duplicates = regions.filter((r, i) => regions.indexOf(r) !== i);
  if (duplicates.length > 0) {
    c.add(key, c.read(key), `each Region once (repeated: ${[...new Set(duplicates)].join(', ')})`);
  }
  return regions;
}

/** budgetMonthlyUsd: unset, or whole dollars in range; the budget's notifications need alarmEmail. */
export function readBudget(c: ContextReading, alarmEmail: string | undefined): number | undefined {
  const value = c.fieldOr('budgetMonthlyUsd', undefined, c.read('budgetMonthlyUsd'));
  if (value !== undefined && alarmEmail === undefined) {
    c.add('budgetMonthlyUsd', c.read('budgetMonthlyUsd'), 'unset unless alarmEmail is set (the budget emails its notifications to alarmEmail)');
    return undefined;
  }
  return value;
}

/** witnessRegion: only with globalConsistency=strong, and not one of the replica Regions. */
export function checkWitness(c: ContextReading, witness: string | undefined, strong: boolean, regions: readonly (string | undefined)[]): void {
  if (witness === undefined) return;
  if (!strong) c.add('witnessRegion', witness, 'unset unless globalConsistency=strong');
  else if (regions.includes(witness)) c.add('witnessRegion', witness, 'a Region that is neither primaryRegion nor in replicaRegions');
}

/** globalConsistency=strong: every Region in one MRSC set, and 3 replicas, or 2 and a witness. */
export function checkStrongConsistency(c: ContextReading, primary: string, replicas: readonly string[], witness: string | undefined): void {
  const all = [primary, ...replicas, ...(witness === undefined ? [] : [witness])];
  const set = Object.entries(MRSC_REGION_SETS).find(([, regions]) => regions.includes(primary));
  if (set === undefined) {
    c.add(
      'primaryRegion',
      primary,
      `with globalConsistency=strong, a Region of one MRSC Region set (${Object.entries(MRSC_REGION_SETS)
        .map(([name, regions]) => `${name}: ${regions.join(' ')}`)
        .join('; ')})`,
    );
    return;
  }
  const [setName, setRegions] = set;
  const outside = all.filter((r) => !setRegions.includes(r));
  if (outside.length > 0) {
    const witnessOutside = witness !== undefined && outside.includes(witness);
    c.add(
      witnessOutside ? 'witnessRegion' : 'replicaRegions',
      witnessOutside ? witness : replicas.join(','),
      `with globalConsistency=strong, only Regions of the ${setName} set: ${setRegions.join(', ')}`,
    );
  }
  const replicaCount = replicas.length + 1;
  if (witness === undefined && replicaCount !== 3) {
    c.add(
      'replicaRegions',
      replicas.join(','),
      'with globalConsistency=strong, exactly 2 Regions (3 replicas with the primary), or 1 Region plus witnessRegion',
    );
  }
  if (witness !== undefined && replicaCount !== 2) {
    c.add('replicaRegions', replicas.join(','), 'with witnessRegion set, exactly 1 Region (2 replicas with the primary)');
  }
}
