import { IgnoreMode } from 'aws-cdk-lib';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { REPO_ROOT } from '../function/handler-build';

/**
 * What the `Dockerfile` reads (its COPY lines), relative to the repository root. The build context is
 * these and nothing else, so the image's asset hash changes when the server's code or dependencies do,
 * and never for a README, lab or test edit (which would otherwise roll every task). The Lambda
 * handlers are left out too: the container server never imports them.
 */
export const SERVER_IMAGE_INPUTS = ['Dockerfile', 'package.json', 'package-lock.json', 'tsconfig.json', 'lambdas'] as const;
const SERVER_IMAGE_LEFT_OUT = ['lambdas/handlers'] as const;

/**
 * Docker-ignore patterns: everything out, then the inputs back in. Everything out includes any
 * `cdk synth -o <dir>` inside the repository: CDK's own exclusion of the output folder is a pattern
 * relative to the context, which an absolute `-o "$PWD/out"` never matches, so the assembly used to
 * be copied into itself until ENAMETOOLONG.
 */
export const SERVER_IMAGE_EXCLUDE: readonly string[] = ['*', ...SERVER_IMAGE_INPUTS.map((input) => `!${input}`), ...SERVER_IMAGE_LEFT_OUT];

/**
 * The Fargate tier's image, built at deploy time (arm64) from `directory` (the repository root by
 * default; tests give a copy) with the build context narrowed to SERVER_IMAGE_INPUTS.
 *
 * @example
 * taskDefinition.addContainer('App', { image: serverImage(), ... });
 */
export function serverImage(directory: string = REPO_ROOT): ecs.ContainerImage {
  return ecs.ContainerImage.fromAsset(directory, serverImageAssetOptions());
}

/** The asset options of serverImage, for a DockerImageAsset built the same way (tests read its hash). */
export function serverImageAssetOptions() {
  return {
    file: 'Dockerfile',
    platform: Platform.LINUX_ARM64,
    ignoreMode: IgnoreMode.DOCKER,
    exclude: [...SERVER_IMAGE_EXCLUDE],
  };
}
