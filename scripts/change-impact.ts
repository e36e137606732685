/**
 * What a configuration change does to a deployed app, predicted offline from two synthesized
 * assemblies: `@aws-cdk/cloudformation-diff` (the library `cdk diff` uses, built on the CloudFormation
 * resource specification) decides, per resource, whether CloudFormation updates it in place, replaces
 * it, adds or removes it. This module only sorts its verdicts: which stack, which resources hold
 * state, which carry a fixed physical name (a replacement of those fails: CloudFormation creates the
 * new resource before deleting the old one, and the name is taken).
 *
 * Used by `npm run impact` (scripts/impact.ts) and by test/support/configuration-matrix.ts (run as test/infra/configuration-matrix-*.test.ts).
 *
 * @example
 * const changes = predictChanges(templatesOf(before), templatesOf(after));
 */
import { fullDiff, ResourceImpact } from '@aws-cdk/cloudformation-diff';
import { loadResourceModel } from '@aws-cdk/cloudformation-diff/lib/diff/util';

/** A CloudFormation template, as synthesized. */
export interface CfnTemplate {
  readonly Resources?: Record<string, { readonly Type: string; readonly Properties?: Record<string, unknown> }>;
  readonly [section: string]: unknown;
}

/** Templates by stack name. */
export type StackTemplates = Readonly<Record<string, CfnTemplate>>;

/**
 * What CloudFormation does to a resource. `may be replaced` is the specification's "conditional"
 * replacement (e.g. an RDS instance's MultiAZ): plan for a replacement, expect none in the common case.
 */
export type ChangeOutcome = 'in place' | 'replaced' | 'may be replaced' | 'added' | 'removed';

/** Outcomes that lose what the resource holds (see STATEFUL_KINDS). */
export const LOSING_OUTCOMES: readonly ChangeOutcome[] = ['replaced', 'may be replaced', 'removed'];

export interface ResourceChange {
  readonly stack: string;
  readonly logicalId: string;
  readonly type: string;
  readonly outcome: ChangeOutcome;
  /** The stateful kind (see STATEFUL_KINDS) when the resource holds state. */
  readonly statefulKind?: StatefulKind;
  /** The fixed physical name the resource carries, if any (`Property=value`). */
  readonly fixedName?: string;
  /**
   * For a replacement: true when the replacement would carry the same fixed name as the resource it
   * replaces, so that CloudFormation's create-before-delete fails on the name.
   */
  readonly nameClash: boolean;
}

/** Resources whose replacement or removal loses something, with what is lost. */
export const STATEFUL_KINDS = {
  database: 'the primary database and its data (removalPolicy=snapshot keeps a final snapshot)',
  'read replica': 'a read replica (nothing is lost: it copies the primary again; its endpoint changes)',
  proxy: 'the RDS Proxy (open connections drop; its endpoint changes)',
  cache: 'every cached value and Redis session',
  'global table': "the global table's items",
  secret: 'the secret value (credentials or keys are generated anew)',
} as const;

export type StatefulKind = keyof typeof STATEFUL_KINDS;

type Resource = NonNullable<CfnTemplate['Resources']>[string];

/** The stateful kind of a resource, or undefined. A DB instance with a source is a read replica. */
export function statefulKind(resource: Resource): StatefulKind | undefined {
  switch (resource.Type) {
    case 'AWS::RDS::DBInstance':
      return resource.Properties?.SourceDBInstanceIdentifier === undefined ? 'database' : 'read replica';
    case 'AWS::RDS::DBProxy':
      return 'proxy';
    case 'AWS::ElastiCache::ReplicationGroup':
      return 'cache';
    case 'AWS::DynamoDB::GlobalTable':
    case 'AWS::DynamoDB::Table':
      return 'global table';
    case 'AWS::SecretsManager::Secret':
      return 'secret';
    default:
      return undefined;
  }
}

/** True when a value names no resource of its template (a literal, or built from pseudo parameters only). */
function isFixed(value: unknown, resources: Readonly<Record<string, unknown>>): boolean {
  if (typeof value === 'string') return true;
  if (Array.isArray(value)) return value.every((v) => isFixed(v, resources));
  if (typeof value !== 'object' || value === null) return typeof value === 'number';
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length !== 1) return entries.every(([, v]) => isFixed(v, resources));
  const [[fn, arg]] = entries;
  if (fn === 'Ref') return !(String(arg) in resources);
  if (fn === 'Fn::GetAtt' || fn === 'Fn::ImportValue' || fn === 'Fn::GetStackOutput') return false;
  return isFixed(arg, resources);
}

/**
 * The fixed physical name of a resource, if it has one: a property the resource specification marks
 * as replacing the resource when changed, that names it (`Name`, or the `...Name` the type is
 * identified by, e.g. `DashboardName`, `DBProxyName`), given as a literal rather than left to
 * CloudFormation. A `Name` inside a `...Config` property counts too (a VPC origin's endpoint config).
 */
export function fixedPhysicalName(resource: Resource, resources: Readonly<Record<string, unknown>>): string | undefined {
  const model = loadResourceModel(resource.Type);
  const identifiers = new Set<string>(model?.primaryIdentifier ?? []);
  const props = resource.Properties ?? {};
  for (const [key, value] of Object.entries(props)) {
    const namesIt = key === 'Name' || (identifiers.has(key) && key.endsWith('Name'));
    if (namesIt && model?.properties?.[key]?.causesReplacement === 'yes' && isFixed(value, resources)) {
      return `${key}=${JSON.stringify(value)}`;
    }
    if (key.endsWith('Config') && typeof value === 'object' && value !== null && 'Name' in value) {
      const name = (value as Record<string, unknown>).Name;
      if (isFixed(name, resources)) return `${key}.Name=${JSON.stringify(name)}`;
    }
  }
  return undefined;
}

const OUTCOME_OF: Partial<Record<ResourceImpact, ChangeOutcome>> = {
  [ResourceImpact.WILL_UPDATE]: 'in place',
  [ResourceImpact.WILL_REPLACE]: 'replaced',
  [ResourceImpact.MAY_REPLACE]: 'may be replaced',
  [ResourceImpact.WILL_CREATE]: 'added',
  [ResourceImpact.WILL_DESTROY]: 'removed',
  [ResourceImpact.WILL_ORPHAN]: 'removed',
};

/** Every resource that a change from `before` to `after` touches, stack by stack. */
export function predictChanges(before: StackTemplates, after: StackTemplates): ResourceChange[] {
  const changes: ResourceChange[] = [];
  for (const stack of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    const oldTemplate = before[stack] ?? {};
    const newTemplate = after[stack] ?? {};
    const diff = fullDiff(oldTemplate, newTemplate);
    diff.resources.forEachDifference((logicalId, change) => {
      const outcome = OUTCOME_OF[change.changeImpact];
      if (outcome === undefined || !change.isDifferent) return;
      const resource = (change.oldValue ?? change.newValue) as Resource;
      const oldName = change.oldValue && fixedPhysicalName(change.oldValue as Resource, oldTemplate.Resources ?? {});
      const newName = change.newValue && fixedPhysicalName(change.newValue as Resource, newTemplate.Resources ?? {});
      changes.push({
        stack,
        logicalId,
        type: resource.Type,
        outcome,
        statefulKind: statefulKind(resource),
        fixedName: oldName ?? newName,
        nameClash: (outcome === 'replaced' || outcome === 'may be replaced') && oldName !== undefined && oldName === newName,
      });
    });
  }
  return changes;
}

/** Counts per stack and outcome, e.g. `Patterns-Data: 3 in place, 1 replaced (Cache: cache)`. */
export function summarizeChanges(changes: readonly ResourceChange[]): string[] {
  const stacks = [...new Set(changes.map((c) => c.stack))];
  return stacks.map((stack) => {
    const ofStack = changes.filter((c) => c.stack === stack);
    const parts = (['in place', 'replaced', 'may be replaced', 'added', 'removed'] as const).flatMap((outcome) => {
      const these = ofStack.filter((c) => c.outcome === outcome);
      if (these.length === 0) return [];
      const notable = these.filter((c) => c.statefulKind !== undefined || c.nameClash);
      const detail = notable.map((c) => `${c.logicalId}${c.statefulKind === undefined ? '' : `: ${c.statefulKind}`}${c.nameClash ? ` [name clash: ${c.fixedName}]` : ''}`);
      return [`${these.length} ${outcome}${detail.length === 0 ? '' : ` (${detail.join(', ')})`}`];
    });
    return `${stack}: ${parts.join(', ')}`;
  });
}

type Outputs = Record<string, { readonly Export?: { readonly Name?: unknown } }>;

/** Export names of a template's outputs. */
function exportNames(template: CfnTemplate): string[] {
  return Object.values((template.Outputs ?? {}) as Outputs).flatMap((output) => (typeof output.Export?.Name === 'string' ? [output.Export.Name] : []));
}

/**
 * Exports that a change removes while a deployed consumer still imports them: CloudFormation refuses
 * to delete an export in use, and `cdk deploy` updates the producer first, so such a change needs
 * the consumer deployed first (`cdk deploy <consumer> --exclusively`), then the rest.
 */
export function exportsRemovedInUse(before: StackTemplates, after: StackTemplates): string[] {
  return Object.entries(before).flatMap(([producer, template]) => {
    const kept = new Set(exportNames(after[producer] ?? {}));
    return exportNames(template)
      .filter((name) => !kept.has(name))
      .flatMap((name) =>
        Object.entries(before)
          .filter(([, consumer]) => JSON.stringify(consumer).includes(`{"Fn::ImportValue":${JSON.stringify(name)}}`))
          .map(([consumer]) => `${producer} export ${name}, imported by ${consumer}`),
      );
  });
}
