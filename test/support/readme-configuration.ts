/**
 * The README's Configuration section as data: the table of context keys (values, default, what
 * changing it does on a deployed stack) and every `-c key=value` example the README gives. The
 * configuration-matrix test derives its configurations from here, so a key added to the table is
 * checked (and fails until its entries are filled in) without touching the test.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const README = path.resolve(__dirname, '..', '..', 'README.md');

export interface ConfigurationRow {
  readonly key: string;
  /** The values cell as written. */
  readonly values: string;
  /** The default, without backticks; undefined for "—". */
  readonly defaultValue?: string;
  /** The "changing it on a deployed stack" cell. */
  readonly onDeployedStack: string;
}

/** Header of the configuration table; the columns are read by these names. */
export const CONFIGURATION_HEADER = ['key', 'values', 'default', 'changing it on a deployed stack', 'what it does'];

const cells = (line: string) => line.split(/(?<!\\)\|/).slice(1, -1).map((cell) => cell.trim());
const unquote = (cell: string) => cell.replace(/^`|`$/g, '');

export function configurationTable(readme: string = fs.readFileSync(README, 'utf8')): ConfigurationRow[] {
  const lines = readme.split('\n');
  const start = lines.findIndex((line) => line.startsWith('| key |') && cells(line).join('|') === CONFIGURATION_HEADER.join('|'));
  if (start < 0) throw new Error(`README.md: no configuration table with the columns ${CONFIGURATION_HEADER.join(' | ')}`);
  const rows: ConfigurationRow[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const [key, values, defaultCell, onDeployedStack] = cells(line);
    rows.push({ key: unquote(key), values, defaultValue: defaultCell === '—' ? undefined : unquote(defaultCell), onDeployedStack });
  }
  return rows;
}

/**
 * The values a row documents: each enumerated value (a cell starting with a backtick), or both ends
 * of a range (`min .. max`); undefined when the cell describes a free-form value.
 */
export function documentedValues(row: ConfigurationRow): string[] | undefined {
  const range = /^(\d+) \.\. (\d+)/.exec(row.values);
  if (range !== null) return [range[1], range[2]];
  if (row.values.startsWith('`')) return [...row.values.matchAll(/`([^`]+)`/g)].map((match) => match[1]);
  return undefined;
}

/** A pair that shows the syntax rather than a setting (`-c key=value`, `-c sticky=…`, `-c readReplicas=<n>`). */
const isPlaceholder = (key: string, value: string) => key === 'key' || value.includes('…') || value.startsWith('<');

/** Every `-c key=value ...` code span of the README (syntax placeholders left out), as context overrides. */
export function readmeExamples(readme: string = fs.readFileSync(README, 'utf8')): Array<Record<string, string>> {
  return [...readme.matchAll(/`([^`\n]*-c [^`\n]*)`/g)]
    .map((match) => [...match[1].matchAll(/-c ([A-Za-z]+)=(\S+)/g)].filter((pair) => !isPlaceholder(pair[1], pair[2])))
    .filter((pairs) => pairs.length > 0)
    .map((pairs) => Object.fromEntries(pairs.map((pair) => [pair[1], pair[2]])));
}
