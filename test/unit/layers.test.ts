/**
 * The layers of CONTRIBUTING.md ("Layers, and what each may import"), held against the code: every
 * relative import (static, dynamic, `require`) of every tracked source file outside `test/` is
 * resolved to a repository path and checked against the rule of the layer it stands in. A layer
 * takes only from the layers below it, so no import arrow runs back up; the table in CONTRIBUTING.md
 * names the same folders as the rules here (a folder added to one and not the other fails).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

interface Layer {
  /** The folder or file of the layer, as CONTRIBUTING.md's table names it. */
  readonly layer: string;
  /** Repository paths (prefixes) its files may import; its own folder is always allowed. */
  readonly mayImport: readonly string[];
  /** Only `import type` may reach outside the layer (the code is bundled for a browser). */
  readonly typesOnly?: boolean;
  /** Files of the layer with a wider allowance, and why. */
  readonly exceptions?: Readonly<Record<string, readonly string[]>>;
}

const CONFIG_FOR_LIB = [
  'lambdas/config/env-names.ts',
  'lambdas/config/vocabulary.ts',
  'lambdas/config/schemas.ts',
  'lambdas/config/config-problems.ts',
  'lambdas/config/node-version.ts',
  'lambdas/http/pattern-paths.ts',
  'lambdas/patterns.ts',
  'lambdas/observability/metric-names.ts',
];

/** Most specific first: a file belongs to the first layer whose path it starts with. */
const LAYERS: readonly Layer[] = [
  { layer: 'lambdas/patterns.ts', mayImport: [] },
  { layer: 'lambdas/config/vocabulary.ts', mayImport: [] },
  { layer: 'lambdas/config/', mayImport: ['lambdas/config/vocabulary.ts'] },
  { layer: 'lambdas/core/', mayImport: ['lambdas/config/vocabulary.ts'] },
  { layer: 'lambdas/observability/', mayImport: [] },
  { layer: 'lambdas/adapters/', mayImport: ['lambdas/core/', 'lambdas/config/'] },
  { layer: 'lambdas/console/browser/', mayImport: ['lambdas/core/', 'lambdas/http/'], typesOnly: true },
  { layer: 'lambdas/console/', mayImport: ['lambdas/config/', 'lambdas/observability/'] },
  {
    layer: 'lambdas/wiring/',
    mayImport: ['lambdas/core/', 'lambdas/adapters/', 'lambdas/config/', 'lambdas/observability/', 'lambdas/http/', 'lambdas/patterns.ts'],
  },
  {
    layer: 'lambdas/http/',
    mayImport: ['lambdas/core/', 'lambdas/adapters/', 'lambdas/config/', 'lambdas/observability/', 'lambdas/console/', 'lambdas/patterns.ts'],
  },
  {
    layer: 'lambdas/handlers/',
    mayImport: ['lambdas/wiring/', 'lambdas/http/', 'lambdas/observability/', 'lambdas/config/', 'lambdas/core/', 'lambdas/adapters/'],
  },
  {
    layer: 'lambdas/server/',
    mayImport: ['lambdas/wiring/', 'lambdas/http/', 'lambdas/observability/', 'lambdas/config/', 'lambdas/core/', 'lambdas/adapters/'],
  },
  { layer: 'lib/data/', mayImport: ['lib/config/', 'lib/function/', 'lib/construct-error.ts', ...CONFIG_FOR_LIB] },
  {
    layer: 'lib/',
    mayImport: ['lib/', ...CONFIG_FOR_LIB],
    exceptions: { 'lib/function/handler-build.ts': ['lambdas/console/console-bundle.ts'] },
  },
  {
    layer: 'harness/',
    mayImport: [
      'lambdas/config/',
      'lambdas/adapters/pg-migrations.ts',
      'lambdas/adapters/pg-app-role.ts',
      'lambdas/adapters/secrets.ts',
      'lambdas/core/once.ts',
      'lambdas/http/pattern-paths.ts',
      'lib/config/connection-budget.ts',
      'toolkit/alb-event.ts',
      'toolkit/function-url-event.ts',
    ],
    exceptions: { 'harness/lambda-bundles-build.ts': ['lib/function/handler-build.ts', 'lib/compute/lambda-tier.ts', 'lib/multi-master/multi-master-regional-stack.ts'] },
  },
  { layer: 'toolkit/', mayImport: [] },
  { layer: 'lab/', mayImport: ['harness/', 'toolkit/', 'lambdas/', 'lib/'] },
  { layer: 'e2e/', mayImport: ['harness/', 'toolkit/', 'lambdas/', 'lib/'] },
  { layer: 'bench/', mayImport: ['harness/', 'toolkit/', 'lambdas/', 'lib/'] },
];

interface Import {
  readonly from: string;
  readonly to: string;
  readonly typeOnly: boolean;
}

const SPECIFIER = /(import\s+type\s[^'";]*?from\s*|import\s[^'";]*?from\s*|export\s[^'";]*?from\s*|import\s*\(\s*|require\s*\(\s*|import\s+)['"](\.[^'"]*)['"]/g;

/** The source without comments, so that a comment mentioning `import type` is not read as one. */
function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

/** The repository path a relative specifier names (`.ts`, `/index.ts` or the file itself). */
function resolve(from: string, specifier: string): string {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  for (const candidate of [`${base}.ts`, `${base}/index.ts`, base]) {
    if (fs.existsSync(path.join(ROOT, candidate)) && fs.statSync(path.join(ROOT, candidate)).isFile()) return candidate;
  }
  return base;
}

function importsOf(file: string): Import[] {
  const source = withoutComments(fs.readFileSync(path.join(ROOT, file), 'utf8'));
  return [...source.matchAll(SPECIFIER)].map((match) => ({
    from: file,
    to: resolve(file, match[2]),
    typeOnly: /^import\s+type\s/.test(match[1]),
  }));
}

function layerOf(file: string): Layer | undefined {
  return LAYERS.find((layer) => (layer.layer.endsWith('/') ? file.startsWith(layer.layer) : file === layer.layer));
}

function ownFolder(layer: Layer): string {
  return layer.layer.endsWith('/') ? layer.layer : path.posix.dirname(layer.layer) + '/';
}

/** Where an import breaks its layer's rule, as `from -> to`; empty when it keeps to it. */
function breaches(imports: readonly Import[]): string[] {
  return imports.flatMap((imported) => {
    const layer = layerOf(imported.from);
    if (!layer) return [];
    const target = imported.to;
    const inOwnLayer = layerOf(target) === layer && (layer.layer.endsWith('/') || target === layer.layer);
    if (inOwnLayer || (layer.layer.endsWith('/') && target.startsWith(ownFolder(layer)) && layerOf(target) === layer)) return [];
    if (layer.typesOnly && !imported.typeOnly) return [`${imported.from} -> ${target} (only type imports may leave ${layer.layer})`];
    const allowed = [...layer.mayImport, ...(layer.exceptions?.[imported.from] ?? [])];
    return allowed.some((prefix) => target === prefix || (prefix.endsWith('/') && target.startsWith(prefix))) ? [] : [`${imported.from} -> ${target}`];
  });
}

const sourceFiles = execFileSync('git', ['ls-files', '*.ts'], { cwd: ROOT, encoding: 'utf8' })
  .split('\n')
  .filter((file) => file !== '' && !file.startsWith('test/') && fs.existsSync(path.join(ROOT, file)));

describe('layers (CONTRIBUTING.md)', () => {
  it('every import keeps to the rule of its layer: nothing runs back up', () => {
    // Act
    const found = sourceFiles.flatMap((file) => breaches(importsOf(file)));

    // Assess
    expect(found).toEqual([]);
  });

  it('catches an import that runs back up (the check above is live)', () => {
    expect(breaches([{ from: 'lambdas/core/sessions.ts', to: 'lambdas/adapters/secrets.ts', typeOnly: false }])).toEqual([
      'lambdas/core/sessions.ts -> lambdas/adapters/secrets.ts',
    ]);
    expect(breaches([{ from: 'lib/data/data-stack.ts', to: 'lib/compute/data-access.ts', typeOnly: false }])).toHaveLength(1);
    expect(breaches([{ from: 'lambdas/console/browser/diagram.ts', to: 'lambdas/core/sessions.ts', typeOnly: false }])).toHaveLength(1);
    expect(breaches([{ from: 'lambdas/console/browser/diagram.ts', to: 'lambdas/core/sessions.ts', typeOnly: true }])).toEqual([]);
    expect(breaches([{ from: 'harness/playground.ts', to: 'lib/function/handler-build.ts', typeOnly: false }])).toHaveLength(1);
  });

  it('keeps the core free of the AWS SDK, the engines\' clients and the environment', () => {
    const core = sourceFiles.filter((file) => file.startsWith('lambdas/core/'));
    const offending = core.filter((file) => {
      const source = fs.readFileSync(path.join(ROOT, file), 'utf8');
      const code = withoutComments(source);
      return /from\s+['"](@aws-sdk\/|pg['"]|ioredis|hono)/.test(code) || /process\.env/.test(code);
    });
    expect(core.length).toBeGreaterThan(5);
    expect(offending).toEqual([]);
  });

  it('names in CONTRIBUTING.md\'s table every layer the rules hold', () => {
    const contributing = fs.readFileSync(path.join(ROOT, 'CONTRIBUTING.md'), 'utf8');
    const section = contributing.slice(contributing.indexOf('## Layers'), contributing.indexOf('## A new pattern'));
    const named = LAYERS.map((layer) => layer.layer.replace(/\/$/, '')).filter((layer) => !section.includes(`\`${layer}`));
    expect(named).toEqual([]);
  });
});
