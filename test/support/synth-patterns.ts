/**
 * Builds the whole CDK app in-process exactly as `bin/app.ts` does, with the repository's own
 * `cdk.json` defaults and `cdk.context.json` (so no AWS lookup ever happens), a fixed test account,
 * bundling skipped, and context overrides given as `-c` would give them (strings).
 *
 * Each configuration is synthesized once per jest run: the first suite that reads a template of a
 * configuration writes that configuration's templates to the run's cache folder (`SYNTH_CACHE_ENV`,
 * made by `jest-global-setup.ts`, shared by every worker, removed at the end), and later calls
 * read them from there, without building the app. The live `app` and `stacks` are still built on
 * first access (construct-level checks such as cdk-nag, annotations and plugins need them). A
 * configuration is only cached after it built and synthesized, so an invalid one always throws
 * from `synthPatterns()` itself, as before. The configuration matrix adds the templates of the
 * configurations it synthesizes (`cacheTemplates`).
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { parseAppConfig } from '../../lib/config/app-config';
import { repositoryContext } from '../../lib/config/context-files';
import { addAppStacks, type PatternStacks } from '../../lib/patterns-app';
import { SYNTH_CACHE_ENV } from './synth-cache';

export const TEST_ACCOUNT = '123456789012';
/** In a cache entry: which template file holds which stack. */
const INDEX_FILE = 'stacks.json';

export function appContext(overrides: Record<string, string> = {}): Record<string, unknown> {
  return {
    ...repositoryContext(),
    account: TEST_ACCOUNT,
    // Skip esbuild bundling of the Lambda handlers in tests (asset hashes are normalized anyway).
    'aws:cdk:bundling-stacks': [],
    ...overrides,
  };
}

export type StackName = keyof Omit<PatternStacks, 'regional'> | `regional:${string}`;

export interface SynthesizedPatterns {
  readonly app: App;
  readonly stacks: PatternStacks;
  readonly warnings: readonly string[];
  template(stack: StackName): Template;
  /** A folder holding every stack's `<name>.template.json` (the run's cached copy, or the live assembly). */
  templateDirectory(): string;
}

/** Every stack of the app by the name `template()` takes. */
function stacksByName(stacks: PatternStacks): Array<[StackName, Stack]> {
  const named: Array<[StackName, Stack | undefined]> = [
    ['network', stacks.network],
    ['data', stacks.data],
    ['globalTable', stacks.globalTable],
    ['stateless', stacks.stateless],
    ['edgeWaf', stacks.edgeWaf],
    ['edgeLogs', stacks.edgeLogs],
    ...stacks.regional.map((s): [StackName, Stack] => [`regional:${s.region}`, s]),
  ];
  return named.filter((entry): entry is [StackName, Stack] => entry[1] !== undefined);
}

function build(context: Record<string, unknown>, outdir: string | undefined): { app: App; stacks: PatternStacks } {
  const app = new App({ context, outdir: outdir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'patterns-synth-')) });
  const added = addAppStacks(app, parseAppConfig((key) => app.node.tryGetContext(key)));
  if (added.profile !== 'full') throw new Error('synthPatterns builds the full profile; see test/infra/localstack-profile.test.ts');
  return { app, stacks: added.stacks };
}

/** This configuration's entry in the run's cache (a hash of the whole context), or undefined without a cache. */
export function cacheEntryOf(context: Record<string, unknown>): string | undefined {
  // Unset (a script, not jest): no cache, every call builds.
  const root = process.env[SYNTH_CACHE_ENV];
  if (root === undefined || root === '') return undefined;
  return path.join(root, createHash('sha256').update(JSON.stringify(context)).digest('hex').slice(0, 32));
}

function readIndex(entry: string | undefined): Partial<Record<StackName, string>> | undefined {
  if (entry === undefined) return undefined;
  try {
    return JSON.parse(fs.readFileSync(path.join(entry, INDEX_FILE), 'utf8')) as Partial<Record<StackName, string>>;
  } catch {
    return undefined;
  }
}

/** Copies the templates into the entry through a temporary folder and a rename: a reader sees all or nothing; when two workers race, the first rename wins. */
function writeEntry(entry: string, assemblyDir: string, index: Partial<Record<StackName, string>>): void {
  const staging = `${entry}.${process.pid}.${Date.now()}`;
  fs.mkdirSync(staging, { recursive: true });
  for (const file of Object.values(index)) fs.copyFileSync(path.join(assemblyDir, file as string), path.join(staging, file as string));
  fs.writeFileSync(path.join(staging, INDEX_FILE), JSON.stringify(index));
  try {
    fs.renameSync(staging, entry);
  } catch {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * Puts the templates of an assembly the caller synthesized for `overrides` (the configuration
 * matrix, which needs its own synthesis with the validation plugins) into the run's cache, so that
 * suites reading a template of the same configuration do not synthesize it again. The plugins
 * change no template: the cached files are what `synthPatterns(overrides)` would write.
 */
export function cacheTemplates(overrides: Record<string, string>, stacks: PatternStacks, assemblyDir: string): void {
  const entry = cacheEntryOf(appContext(overrides));
  if (entry === undefined || readIndex(entry) !== undefined) return;
  writeEntry(entry, assemblyDir, Object.fromEntries(stacksByName(stacks).map(([name, stack]) => [name, stack.templateFile])) as Partial<Record<StackName, string>>);
}

export function synthPatterns(overrides: Record<string, string> = {}, outdir?: string): SynthesizedPatterns {
  const context = appContext(overrides);
  const entry = outdir === undefined ? cacheEntryOf(context) : undefined;
  const cachedIndex = readIndex(entry);
  let live: { app: App; stacks: PatternStacks } | undefined;
  const liveApp = () => (live ??= build(context, outdir));
  // Not cached yet: build now, so that an invalid configuration throws here, as it always has.
  if (cachedIndex === undefined) liveApp();
  const { warnings } = parseAppConfig((key) => context[key]);

  // The templates of this configuration, by file: from the cache, or from one synthesis of the live app (then cached).
  let templates: { readonly dir: string; readonly index: Partial<Record<StackName, string>> } | undefined =
    cachedIndex === undefined || entry === undefined ? undefined : { dir: entry, index: cachedIndex };
  const synthesized = () => {
    if (templates === undefined) {
      const { app, stacks } = liveApp();
      const assembly = app.synth();
      const index = Object.fromEntries(stacksByName(stacks).map(([name, stack]) => [name, stack.templateFile])) as Partial<Record<StackName, string>>;
      if (entry !== undefined) writeEntry(entry, assembly.directory, index);
      templates = { dir: assembly.directory, index };
    }
    return templates;
  };
  const parsed = new Map<string, Template>();
  return {
    get app() {
      return liveApp().app;
    },
    get stacks() {
      return liveApp().stacks;
    },
    warnings,
    template(name) {
      let template = parsed.get(name);
      if (template === undefined) {
        const { dir, index } = synthesized();
        const file = index[name];
        if (file === undefined) throw new Error(`no stack ${name}`);
        template = Template.fromJSON(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Record<string, unknown>);
        parsed.set(name, template);
      }
      return template;
    },
    templateDirectory() {
      return synthesized().dir;
    },
  };
}

/** Replaces content hashes (asset keys, image tags, bundle names) so that snapshots show structure only. */
export function normalizeTemplate(template: unknown): unknown {
  const text = JSON.stringify(template)
    .replace(/[0-9a-f]{64}/g, '[ASSET-HASH]')
    // A function's `currentVersion` logical id ends in a hash of its code: it changes with every handler edit.
    .replace(/(CurrentVersion[0-9A-F]{8})[0-9a-f]{32}/g, '$1[CODE-HASH]');
  return JSON.parse(text) as unknown;
}
