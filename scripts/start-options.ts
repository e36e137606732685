/**
 * The flags of `npm start` (the playground), parsed with node:util parseArgs and validated in one
 * place, through the field schemas every configuration of the project shares: every problem at
 * once, each as `--flag: got X; allowed: Y`.
 */
import { parseArgs } from 'node:util';
import { ConfigProblems } from '../lambdas/config/config-problems';
import { integerIn, oneOf, optional } from '../lambdas/config/schemas';
import { SESSION_STORES } from '../lambdas/config/vocabulary';
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

const INSTANCES = optional(integerIn(1, MAX_INSTANCES_PER_TIER));

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
  const problems = new ConfigProblems();
  const fargateInstances = problems.field('--fargate', INSTANCES, values.fargate);
  const lambdaInstances = problems.field('--lambda', INSTANCES, values.lambda);
  const port = problems.field('--port', optional(integerIn(1024, 65535)), values.port);
  const sessionStore = problems.field('--session', optional(oneOf(SESSION_STORES)), values.session);
  if (problems.list.length > 0) return { kind: 'invalid', problems: problems.list };
  return {
    kind: 'run',
    options: {
      fargateInstances,
      lambdaInstances,
      port,
      sessionStore,
      sticky: values.sticky === true,
    },
  };
}
