/**
 * The flags of `npm start` (the playground), parsed with node:util parseArgs and validated in one
 * place: every problem at once, each as `--flag: got X; allowed: Y`.
 */
import { parseArgs } from 'node:util';
import { configProblem, SESSION_STORES, type SessionStoreKind } from '../lambdas/config/vocabulary';
import { MAX_INSTANCES_PER_TIER } from '../harness/playground-haproxy';
import type { PlaygroundOptions } from '../harness/playground';

export const START_USAGE = `Usage: npm start -- [options]

Options:
  --fargate <n>        Fargate-tier instances, 1..${MAX_INSTANCES_PER_TIER} (default 2)
  --lambda <n>         Lambda-tier instances, 1..${MAX_INSTANCES_PER_TIER} (default 2)
  --session <store>    session store: ${SESSION_STORES.join(', ')} (default redis)
  --sticky             start with Fargate-tier stickiness on (default off; switch it on the page)
  --port <port>        the one address's port, 1024..65535 (default: a free port)
  --help               this text`;

export type StartOptions =
  | { readonly kind: 'run'; readonly options: PlaygroundOptions }
  | { readonly kind: 'help' }
  | { readonly kind: 'invalid'; readonly problems: readonly string[] };

function integerIn(flag: string, text: string | undefined, min: number, max: number, problems: string[]): number | undefined {
  if (text === undefined) return undefined;
  const value = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (Number.isInteger(value) && value >= min && value <= max) return value;
  problems.push(configProblem(`--${flag}`, text, `an integer from ${min} to ${max}`));
  return undefined;
}

export function parseStartOptions(argv: readonly string[]): StartOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        fargate: { type: 'string' },
        lambda: { type: 'string' },
        session: { type: 'string' },
        sticky: { type: 'boolean' },
        port: { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    // parseArgs names the offending flag; say what is allowed too.
    return { kind: 'invalid', problems: [`${(error as Error).message}; allowed: --fargate, --lambda, --session, --sticky, --port, --help`] };
  }
  if (values.help === true) return { kind: 'help' };
  const problems: string[] = [];
  const fargateInstances = integerIn('fargate', values.fargate as string | undefined, 1, MAX_INSTANCES_PER_TIER, problems);
  const lambdaInstances = integerIn('lambda', values.lambda as string | undefined, 1, MAX_INSTANCES_PER_TIER, problems);
  const port = integerIn('port', values.port as string | undefined, 1024, 65535, problems);
  const session = values.session as string | undefined;
  if (session !== undefined && !SESSION_STORES.includes(session as SessionStoreKind)) {
    problems.push(configProblem('--session', session, SESSION_STORES.join(', ')));
  }
  if (problems.length > 0) return { kind: 'invalid', problems };
  return {
    kind: 'run',
    options: {
      fargateInstances,
      lambdaInstances,
      port,
      sessionStore: session as SessionStoreKind | undefined,
      sticky: values.sticky === true,
    },
  };
}
