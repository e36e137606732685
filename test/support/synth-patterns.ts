/**
 * Builds the whole CDK app in-process exactly as `bin/app.ts` does, with the repository's own
 * `cdk.json` defaults and `cdk.context.json` (so no AWS lookup ever happens), a fixed test account,
 * bundling skipped, and context overrides given as `-c` would give them (strings).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { parseAppConfig } from '../../lib/config/app-config';
import { repositoryContext } from '../../lib/config/context-files';
import { addAppStacks, type PatternStacks } from '../../lib/patterns-app';

export const TEST_ACCOUNT = '123456789012';

export function appContext(overrides: Record<string, string> = {}): Record<string, unknown> {
  return {
    ...repositoryContext(),
    account: TEST_ACCOUNT,
    // Skip esbuild bundling of the Lambda handlers in tests (asset hashes are normalized anyway).
    'aws:cdk:bundling-stacks': [],
    ...overrides,
  };
}

export interface SynthesizedPatterns {
  readonly app: App;
  readonly stacks: PatternStacks;
  readonly warnings: readonly string[];
  template(stack: keyof Omit<PatternStacks, 'regional'> | `regional:${string}`): Template;
}

export function synthPatterns(overrides: Record<string, string> = {}, outdir?: string): SynthesizedPatterns {
  const app = new App({
    context: appContext(overrides),
    outdir: outdir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'patterns-synth-')),
  });
  const parsed = parseAppConfig((key) => app.node.tryGetContext(key));
  const added = addAppStacks(app, parsed);
  if (added.profile !== 'full') throw new Error('synthPatterns builds the full profile; see test/infra/localstack-profile.test.ts');
  const { stacks } = added;
  const { warnings } = parsed;
  const cache = new Map<string, Template>();
  return {
    app,
    stacks,
    warnings,
    template(name) {
      let template = cache.get(name);
      if (template === undefined) {
        const stack = name.startsWith('regional:')
          ? stacks.regional.find((s) => s.region === name.slice('regional:'.length))
          : stacks[name as keyof Omit<PatternStacks, 'regional'>];
        if (stack === undefined) throw new Error(`no stack ${name}`);
        template = Template.fromStack(stack);
        cache.set(name, template);
      }
      return template;
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
