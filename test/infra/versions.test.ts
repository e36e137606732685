import * as fs from 'node:fs';
import * as path from 'node:path';
import { APP_BUNDLE_TARGET } from '../../harness/app-instances';
import { DEPLOYED_NODE_MAJOR, DEPLOYED_NODE_TARGET } from '../../lambdas/config/node-version';
import { HANDLER_BUNDLING, REPO_ROOT } from '../../lib/function/handler-build';
import { synthPatterns } from '../support/synth-patterns';

type Resources = Record<string, { Properties: Record<string, unknown> }>;

const read = (file: string) => fs.readFileSync(path.join(REPO_ROOT, file), 'utf8');

describe('versions that do not drift', () => {
  const synthesized = synthPatterns({ primaryRegion: 'eu-west-1', replicaRegions: 'eu-west-2' });

  it('pins PostgreSQL by its major version only, since RDS upgrades the minor version by itself', () => {
    // Prepare
    const instances = Object.values(synthesized.template('data').findResources('AWS::RDS::DBInstance') as Resources);
    const primaries = instances.filter((instance) => instance.Properties.SourceDBInstanceIdentifier === undefined);

    // Act
    const versions = primaries.map((primary) => primary.Properties.EngineVersion);

    // Assess: "17", never "17.9"; replicas follow their source (no EngineVersion of their own)
    expect(versions).toEqual([expect.stringMatching(/^\d+$/)]);
    expect(instances.every((instance) => instance.Properties.AutoMinorVersionUpgrade === true)).toBe(true);
    expect(instances.filter((instance) => instance.Properties.SourceDBInstanceIdentifier !== undefined).map((r) => r.Properties.EngineVersion)).toEqual([undefined, undefined]);
  });

  it('runs every pattern function (all stacks, all Regions) on the one deployed Node.js version', () => {
    // Prepare: every function built by PatternFunction carries the tier variable
    const stacks = [synthesized.stacks.data, synthesized.stacks.stateless, ...synthesized.stacks.regional];
    const runtimes = stacks.flatMap((stack) => {
      const template = synthesized.template(stack === synthesized.stacks.data ? 'data' : stack === synthesized.stacks.stateless ? 'stateless' : `regional:${stack.region}`);
      return Object.values(template.findResources('AWS::Lambda::Function') as Resources)
        .filter((fn) => JSON.stringify(fn.Properties.Environment ?? {}).includes('PATTERN_TIER'))
        .map((fn) => fn.Properties.Runtime);
    });

    // Assess
    expect(runtimes.length).toBeGreaterThanOrEqual(6 + 1 + 1 + 2);
    expect(new Set(runtimes)).toEqual(new Set([`nodejs${DEPLOYED_NODE_MAJOR}.x`]));
  });

  it('builds the container from the same Node.js version, in both Dockerfile stages', () => {
    // Act
    const images = [...read('Dockerfile').matchAll(/^FROM\s+(?:--platform=\S+\s+)?(\S+)/gm)].map((match) => match[1]);

    // Assess
    expect(images).toEqual([`node:${DEPLOYED_NODE_MAJOR}-bookworm-slim`, `node:${DEPLOYED_NODE_MAJOR}-bookworm-slim`]);
  });

  it('makes every bundle target that version: the handlers, build:server and the harness', () => {
    // Act
    const buildServer = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts['build:server'];

    // Assess
    expect(DEPLOYED_NODE_TARGET).toBe(`node${DEPLOYED_NODE_MAJOR}`);
    expect(HANDLER_BUNDLING.target).toBe(DEPLOYED_NODE_TARGET);
    expect(buildServer.match(/--target=(\S+)/g)).toEqual([`--target=${DEPLOYED_NODE_TARGET}`]);
    expect(APP_BUNDLE_TARGET).toBe(DEPLOYED_NODE_TARGET);
  });
});
