/**
 * The one-name redesign (one name per pattern, aws-cdk-lib's conventions...) renames classes,
 * files and constructs' types, never what is deployed. This test holds it to that: the default
 * configuration's templates, frozen from main before the redesign began
 * (`test/fixtures/deployed-templates/<stack>.json`, as `synthPatterns()` wrote them at a609a95), stand
 * for the deployed stacks, and `@aws-cdk/cloudformation-diff` predicts what deploying today's app
 * over them would do. In-place updates (asset hashes, policy documents written by a grant) are
 * fine; a resource replaced, possibly replaced, removed or added is not. Asset hashes (64 hex digits:
 * the handlers' zips, the container image's tag) are blanked on both sides first: new code is a new
 * task definition revision on every deploy, which is what a code change is, not what the redesign
 * may do; anything else in a container definition still shows as a replacement.
 *
 * The fixture is never regenerated: it is the deployed state the redesign must keep.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type CfnTemplate, predictChanges, type ResourceChange, type StackTemplates } from '../../scripts/change-impact';
import { type StackName, synthPatterns } from '../support/synth-patterns';

const FIXTURE_DIR = path.join(__dirname, '..', 'fixtures', 'deployed-templates');

/** The fixture's stacks, by the name `template()` takes (`regional:us-east-2` is stored as `regional-us-east-2.json`). */
function deployedTemplates(): StackTemplates {
  return Object.fromEntries(
    fs
      .readdirSync(FIXTURE_DIR)
      .filter((file) => file.endsWith('.json'))
      .map((file) => [file.replace(/\.json$/, '').replace(/^regional-/, 'regional:'), JSON.parse(fs.readFileSync(path.join(FIXTURE_DIR, file), 'utf8')) as CfnTemplate]),
  );
}

/** Blanks every asset hash, so that only a change of shape is compared. */
function withoutAssetHashes(templates: StackTemplates): StackTemplates {
  return JSON.parse(JSON.stringify(templates).replace(/[0-9a-f]{64}/g, 'ASSET_HASH')) as StackTemplates;
}

const describeChange = (c: ResourceChange) => `${c.stack} ${c.logicalId} (${c.type}): ${c.outcome}`;

describe('redesign impact on the deployed default configuration', () => {
  const deployed = deployedTemplates();
  const synthesized = synthPatterns();
  const stackNames = ['network', 'data', 'globalTable', 'stateless', 'edgeWaf', 'edgeLogs', ...synthesized.stacks.regional.map((s) => `regional:${s.region}`)];

  it('synthesizes the same stacks as the deployed app', () => {
    const present = stackNames.filter((name) => {
      try {
        synthesized.template(name as StackName);
        return true;
      } catch {
        return false;
      }
    });
    expect(present.sort()).toEqual(Object.keys(deployed).sort());
  });

  it('replaces, removes and adds no resource (in-place updates only)', () => {
    const today = Object.fromEntries(Object.keys(deployed).map((name) => [name, synthesized.template(name as StackName).toJSON() as CfnTemplate]));
    const changes = predictChanges(withoutAssetHashes(deployed), withoutAssetHashes(today));
    const notInPlace = changes.filter((c) => c.outcome !== 'in place').map(describeChange);
    expect(notInPlace).toEqual([]);
  });
});
