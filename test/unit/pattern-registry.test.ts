/**
 * The pattern registry (`lambdas/patterns.ts`) against every face it names: the README's pattern
 * table, the handler files, the Lambda tier, the dashboards, the lab, the e2e suite and the console.
 * A face added or renamed in one place and not the other fails here, naming it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALL_CHECKS } from '../../e2e/checks';
import { EXPERIMENTS } from '../../lab/experiments';
import { PATTERN_PATHS } from '../../lambdas/http/pattern-paths';
import { PATTERN_WORDS, PATTERNS, PLATFORM_EXPERIMENTS, PLUMBING_HANDLERS, type PatternEntry } from '../../lambdas/patterns';
import { LAMBDA_PATTERNS } from '../../lib/compute/lambda-tier';

const ROOT = path.join(__dirname, '..', '..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
const entries: Array<[string, PatternEntry]> = PATTERN_WORDS.map((word) => [word, PATTERNS[word]]);
const unique = (values: readonly string[]) => [...new Set(values)].sort();
const allOf = (face: (entry: PatternEntry) => readonly string[]) => unique(entries.flatMap(([, entry]) => face(entry)));

/** The first column of the README table headed `| pattern | infrastructure (lib/) | ...`. */
function readmePatternTable(): Array<{ title: string; lab: string[] }> {
  const lines = read('README.md').split('\n');
  const header = lines.findIndex((line) => line.startsWith('| pattern | infrastructure (`lib/`)'));
  const rows: Array<{ title: string; lab: string[] }> = [];
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    const cells = line.split('|').map((cell) => cell.trim());
    rows.push({ title: cells[1], lab: [...cells[cells.length - 2].matchAll(/`([^`]+)`/g)].map((m) => m[1]) });
  }
  return rows;
}

/** Every file under `dir`, recursively, relative to the repository root. */
function filesUnder(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((item) =>
    item.isDirectory() ? filesUnder(path.join(dir, item.name)) : [path.join(dir, item.name)]);
}

describe('pattern registry', () => {
  it('names each pattern word once, in kebab case', () => {
    // Assess
    expect(PATTERN_WORDS.filter((word) => !/^[a-z]+(-[a-z]+)*$/.test(word))).toEqual([]);
    expect(PATTERN_WORDS.filter((word) => PATTERN_WORDS.some((other) => other !== word && other.includes(word)))).toEqual([]);
  });

  it('has one entry per row of the README pattern table, with the same lab experiments', () => {
    // Act
    const rows = readmePatternTable();
    // Assess
    expect(rows.map((row) => row.title)).toEqual(entries.map(([, entry]) => entry.title));
    expect(rows.map((row) => row.lab)).toEqual(entries.map(([, entry]) => [...entry.labExperiments]));
  });

  it('names handler files that exist, and every handler file belongs to a pattern or to the plumbing', () => {
    // Act
    const handlerFiles = fs.readdirSync(path.join(ROOT, 'lambdas', 'handlers')).map((file) => file.replace(/\.ts$/, ''));
    const named = entries.flatMap(([, entry]) => (entry.handler === undefined ? [] : [entry.handler]));
    // Assess
    expect(named.filter((handler) => !handlerFiles.includes(handler))).toEqual([]);
    expect(unique(handlerFiles)).toEqual(unique([...named, ...PLUMBING_HANDLERS]));
  });

  it('gives the Lambda tier one function per registered pattern with a Lambda-tier id, serving its paths', () => {
    // Act
    const expected = entries.flatMap(([, entry]) =>
      entry.lambdaTierId === undefined ? [] : [{ id: entry.lambdaTierId, handlerFile: entry.handler, pathPatterns: entry.albPaths?.map((p) => `/lambda${p}`) }]);
    // Assess
    expect(LAMBDA_PATTERNS.map(({ id, handlerFile, pathPatterns }) => ({ id, handlerFile, pathPatterns }))).toEqual(expected);
  });

  it('derives PATTERN_PATHS from the registry', () => {
    // Assess
    expect(PATTERN_PATHS).toEqual(Object.fromEntries(entries.flatMap(([, e]) => (e.routeKey === undefined ? [] : [[e.routeKey, e.albPaths]]))));
  });

  it('registers the same lab experiments as the lab, besides those that measure the platform', () => {
    // Assess
    expect(unique([...allOf((entry) => entry.labExperiments), ...PLATFORM_EXPERIMENTS])).toEqual(unique(EXPERIMENTS.map((e) => e.id)));
  });

  it('registers the same e2e checks as the suite, each under one pattern', () => {
    // Act
    const registered = entries.flatMap(([, entry]) => entry.e2eChecks);
    // Assess
    expect(registered.length).toBe(new Set(registered).size);
    expect(unique(registered)).toEqual(unique(ALL_CHECKS.map((check) => check.id)));
  });

  it('names the dashboards that lib/observability/pattern-dashboards.ts builds, besides the alarms', () => {
    // Act
    const built = [...read('lib/observability/pattern-dashboards.ts').matchAll(/dashboard\('(\w+)'/g)].map((m) => m[1]);
    // Assess
    expect(unique([...allOf((entry) => (entry.dashboard === undefined ? [] : [entry.dashboard])), 'Alarms'])).toEqual(unique(built));
  });

  it('names the console panels of the console page', () => {
    // Act
    const source = filesUnder('lambdas/console').map(read).join('\n');
    const panels = [...source.matchAll(/class="panel" id="([\w-]+)"/g)].map((m) => m[1]);
    // Assess
    expect(allOf((entry) => entry.consolePanels)).toEqual(unique(panels));
  });
});
