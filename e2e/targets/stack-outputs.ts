/**
 * Reads the endpoints of a deployment from the file `cdk deploy --outputs-file <file>` writes
 * (`{ "<stack>": { "<output>": "<value>" } }`). Every problem is reported at once, in one line that
 * names the file, the stack and the output, and says how to produce the file.
 *
 * @example
 * const outputs = readStackOutputs('cdk-outputs.json', { loadBalancer: true, deployHint: AWS_DEPLOY_HINT });
 * outputs.loadBalancerUrl; // 'https://d111111abcdef8.cloudfront.net' (PatternsUrl; LoadBalancerUrl before the CloudFront edge)
 */
import * as fs from 'node:fs';
import { type RegionalEndpoint, type StickinessMode, TargetError } from './target';

/** Stack and output names of `lib/` (an infra test keeps them in step with the CDK app). */
export const STACK_PREFIX = 'Patterns';
export const STATELESS_STACK = `${STACK_PREFIX}-Stateless`;
export const REGIONAL_STACK_PREFIX = `${STACK_PREFIX}-Regional-`;
export const OUTPUT = {
  /** The address users open: the CloudFront URL (edge=cloudfront) or the ALB's (edge=none). */
  patternsUrl: 'PatternsUrl',
  /** The ALB itself: internal with edge=cloudfront; read only from deployments that predate PatternsUrl. */
  loadBalancerUrl: 'LoadBalancerUrl',
  stickySessions: 'StickySessions',
  multiMasterUrl: 'MultiMasterUrl',
} as const;

export const AWS_OUTPUTS_FILE = 'cdk-outputs.json';
export const LOCALSTACK_OUTPUTS_FILE = 'cdk-outputs.localstack.json';
export const AWS_DEPLOY_HINT = `npx cdk deploy --all --outputs-file ${AWS_OUTPUTS_FILE}`;
export const LOCALSTACK_DEPLOY_HINT = `npx cdklocal deploy --all -c profile=localstack --outputs-file ${LOCALSTACK_OUTPUTS_FILE}`;

/** Container-tier stickiness as deployed (the `StickySessions` output: `off`, `lb:3600s`, `app:3600s`). */
export type DeployedStickiness = { readonly on: false } | { readonly on: true; readonly mode: StickinessMode; readonly seconds: number };

export interface PatternOutputs {
  /**
   * The URL clients open, from `Patterns-Stateless` (`PatternsUrl`, or `LoadBalancerUrl` of an older
   * deployment); absent in a LocalStack deployment.
   */
  readonly loadBalancerUrl?: string;
  readonly stickiness?: DeployedStickiness;
  /** One writer per `Patterns-Regional-<region>` stack, sorted by Region. */
  readonly regions: readonly RegionalEndpoint[];
}

export interface OutputsRequirement {
  /** The stateless stack (load balancer, stickiness) must be there. */
  readonly loadBalancer: boolean;
  /** The command that writes the file, quoted in messages. */
  readonly deployHint: string;
}

export function parseStickiness(value: string): DeployedStickiness | undefined {
  if (value === 'off') return { on: false };
  const match = /^(lb|app):(\d+)s$/.exec(value);
  return match === null ? undefined : { on: true, mode: match[1] as StickinessMode, seconds: Number(match[2]) };
}

const isHttpUrl = (value: unknown): value is string => typeof value === 'string' && /^https?:\/\/[^\s/]+(\/\S*)?$/.test(value);
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Validates the parsed file; throws TargetError listing every problem. */
export function parseStackOutputs(data: unknown, file: string, need: OutputsRequirement): PatternOutputs {
  if (!isObject(data)) {
    const kind = Array.isArray(data) ? 'an array' : data === null ? 'null' : `a ${typeof data}`;
    throw new TargetError(`${file} holds ${kind}, not the stack outputs written by ${need.deployHint}`);
  }
  const stacks = Object.keys(data).filter((name) => name.startsWith(`${STACK_PREFIX}-`));
  if (stacks.length === 0) {
    const found = Object.keys(data).length === 0 ? 'no stack' : `only ${Object.keys(data).join(', ')}`;
    throw new TargetError(`${file} has no outputs of the ${STACK_PREFIX}-* stacks (${found}): deploy with ${need.deployHint}`);
  }
  const problems: string[] = [];
  const outputOf = (stack: string, key: string): unknown => (isObject(data[stack]) ? data[stack][key] : undefined);

  let loadBalancerUrl: string | undefined;
  let stickiness: DeployedStickiness | undefined;
  if (need.loadBalancer) {
    if (!isObject(data[STATELESS_STACK])) {
      problems.push(`${STATELESS_STACK} is missing (needed: ${OUTPUT.loadBalancerUrl}, ${OUTPUT.stickySessions})`);
    } else {
      // PatternsUrl is what users open (CloudFront with edge=cloudfront, where the ALB is internal).
      const key = outputOf(STATELESS_STACK, OUTPUT.patternsUrl) !== undefined ? OUTPUT.patternsUrl : OUTPUT.loadBalancerUrl;
      const url = outputOf(STATELESS_STACK, key);
      if (url === undefined) problems.push(`${STATELESS_STACK}.${OUTPUT.loadBalancerUrl} is missing`);
      else if (!isHttpUrl(url)) problems.push(`${STATELESS_STACK}.${key} ${JSON.stringify(url)} is not an http(s) URL`);
      else loadBalancerUrl = url.replace(/\/+$/, '');
      const sticky = outputOf(STATELESS_STACK, OUTPUT.stickySessions);
      if (sticky === undefined) problems.push(`${STATELESS_STACK}.${OUTPUT.stickySessions} is missing`);
      else if (typeof sticky !== 'string' || (stickiness = parseStickiness(sticky)) === undefined) {
        problems.push(`${STATELESS_STACK}.${OUTPUT.stickySessions} ${JSON.stringify(sticky)} is invalid: expected off, lb:<seconds>s or app:<seconds>s`);
      }
    }
  }

  const regions: RegionalEndpoint[] = [];
  const regionalStacks = stacks.filter((name) => name.startsWith(REGIONAL_STACK_PREFIX)).sort();
  if (regionalStacks.length === 0) problems.push(`no ${REGIONAL_STACK_PREFIX}<region> stack (needed: ${OUTPUT.multiMasterUrl} per Region)`);
  for (const stack of regionalStacks) {
    const url = outputOf(stack, OUTPUT.multiMasterUrl);
    if (url === undefined) problems.push(`${stack}.${OUTPUT.multiMasterUrl} is missing`);
    else if (!isHttpUrl(url)) problems.push(`${stack}.${OUTPUT.multiMasterUrl} ${JSON.stringify(url)} is not an http(s) URL`);
    else regions.push({ region: stack.slice(REGIONAL_STACK_PREFIX.length), url });
  }

  if (problems.length > 0) throw new TargetError(`${file}: ${problems.join('; ')} (written by ${need.deployHint})`);
  return { loadBalancerUrl, stickiness, regions };
}

/** Reads and validates `file`; a missing, unreadable or malformed file is a TargetError. */
export function readStackOutputs(file: string, need: OutputsRequirement): PatternOutputs {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new TargetError(`${file} not found: deploy first with ${need.deployHint}`);
    throw new TargetError(`${file} cannot be read (${code ?? (error as Error).message})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new TargetError(`${file} is not valid JSON: expected the file written by ${need.deployHint}`);
  }
  return parseStackOutputs(data, file, need);
}
