import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { DockerImageAsset } from 'aws-cdk-lib/aws-ecr-assets';
import { REPO_ROOT } from '../../lib/function/handler-build';
import { SERVER_IMAGE_INPUTS, serverImageAssetOptions } from '../../lib/compute/server-image';

/** A copy of the repository's image inputs plus files the image must not depend on. */
function repositoryCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'server-image-'));
  for (const input of [...SERVER_IMAGE_INPUTS, 'README.md', path.join('lab', 'run-lab.ts')]) {
    fs.cpSync(path.join(REPO_ROOT, input), path.join(dir, input), { recursive: true });
  }
  return dir;
}

function imageHash(directory: string): string {
  const stack = new Stack(new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'server-image-out-')) }), 'Image');
  return new DockerImageAsset(stack, 'Image', { directory, ...serverImageAssetOptions() }).assetHash;
}

describe('the Fargate server image', () => {
  const copy = repositoryCopy();
  const edit = (file: string) => fs.appendFileSync(path.join(copy, file), '\n// edited\n');

  it.each([['README.md'], [path.join('lab', 'run-lab.ts')], [path.join('lambdas', 'handlers', 'sessions-handler.ts')]])(
    'keeps its asset hash when %s is edited (not a build input)',
    (file) => {
      // Prepare
      const before = imageHash(copy);

      // Act
      edit(file);

      // Assess
      expect(imageHash(copy)).toBe(before);
    },
  );

  it.each([[path.join('lambdas', 'server', 'container-server.ts')], [path.join('lambdas', 'core', 'sessions.ts')], ['package-lock.json']])(
    'gets a new asset hash when %s is edited (the server or its dependencies)',
    (file) => {
      // Prepare
      const before = imageHash(copy);
      const original = fs.readFileSync(path.join(copy, file));

      // Act
      edit(file);
      const after = imageHash(copy);
      fs.writeFileSync(path.join(copy, file), original);

      // Assess
      expect(after).not.toBe(before);
      expect(imageHash(copy)).toBe(before);
    },
  );
});
