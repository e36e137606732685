/**
 * `npm start`: the playground, the whole architecture on this machine behind one address, until
 * Ctrl-C or SIGTERM stops every process it started and removes its folders. See harness/playground.ts.
 *
 *   npm start -- [--fargate 2] [--lambda 2] [--session redis|memory|cookie] [--sticky] [--port 8080]
 *
 * Exit codes: 0 after a clean stop on request (130/143 on a signal), 1 start-up failed, 2 usage error.
 *
 * `npm start` runs `exec node --import tsx scripts/start.ts`: npm relays SIGINT and SIGTERM to its
 * one child, so that child must be this process. Through a shell (`sh -c tsx ...`) the shell dies
 * and leaves everything running; through tsx's CLI, tsx SIGKILLs its child when the child takes
 * over 30 ms to acknowledge a signal (a loaded machine), cutting the cleanup short.
 */
import { installSignalHandlers } from '../harness/processes';
import { PortInUsePlaygroundError, startPlayground, type Playground } from '../harness/playground';
import { parseStartOptions, START_USAGE } from './start-options';

async function main(): Promise<void> {
  const parsed = parseStartOptions(process.argv.slice(2));
  if (parsed.kind === 'help') {
    console.log(START_USAGE);
    return;
  }
  if (parsed.kind === 'invalid') {
    console.error(`npm start: ${parsed.problems.length} problem(s):\n${parsed.problems.map((p) => `  - ${p}`).join('\n')}\n\n${START_USAGE}`);
    process.exit(2);
  }
  let playground: Playground | undefined;
  // Ctrl-C stops the playground (then every engine the harness registered), even half-started.
  installSignalHandlers({ beforeStop: async () => playground?.stop(), beforeStopTimeoutMs: 20_000 });
  const progress = (line: string) => console.log(`  ... ${line}`);
  console.log('Starting the playground (PostgreSQL, Redis, pgbouncer, dynalite, Fargate-tier instances, Lambda-tier shims, HAProxy) on 127.0.0.1');
  try {
    playground = await startPlayground({ ...parsed.options, onProgress: progress });
  } catch (error) {
    console.error(`npm start: ${error instanceof PortInUsePlaygroundError ? '' : 'the playground failed to start: '}${(error as Error).message}`);
    process.exit(1);
  }
  console.log(
    [
      '',
      `Ready in ${(playground.startupMs / 1000).toFixed(1)} s (${Object.entries(playground.phases).map(([p, ms]) => `${p} ${(ms / 1000).toFixed(1)} s`).join(', ')}). Open ${playground.url}/  (Lambda tier: ${playground.url}/lambda/)`,
      '',
      ...playground.describe().map((line) => `  ${line}`),
      '',
      'Stop with Ctrl-C (or SIGTERM): every process above stops and its folders are removed.',
    ].join('\n'),
  );
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
