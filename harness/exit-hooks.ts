/**
 * Last-chance cleanup when the host process exits: first SIGKILL every engine still running,
 * then remove scratch folders. Registered on the REAL process object: jest gives each test file
 * a copy of `process` whose 'exit' listeners never fire, so `process.on('exit')` there would
 * leave engines and data dirs behind.
 */
import * as vm from 'node:vm';

export type ExitPhase = 'kill' | 'clean';

interface HookRegistry {
  readonly kill: Set<() => void>;
  readonly clean: Set<() => void>;
}

const REGISTRY = Symbol.for('scalability-patterns.harness.exit-hooks');

/** The Node process itself, even inside a jest test file (whose `process` is a copy). */
export function hostProcess(): NodeJS.Process {
  return vm.runInThisContext('process') as NodeJS.Process;
}

/**
 * Runs `hook` synchronously when the host process exits ('kill' hooks before 'clean' hooks).
 * One listener per host process, however many test files load this module.
 */
export function onHostExit(phase: ExitPhase, hook: () => void): void {
  const host = hostProcess() as NodeJS.Process & { [REGISTRY]?: HookRegistry };
  let registry = host[REGISTRY];
  if (registry === undefined) {
    const created: HookRegistry = { kill: new Set(), clean: new Set() };
    registry = created;
    host[REGISTRY] = created;
    host.on('exit', () => {
      for (const run of [...created.kill, ...created.clean]) {
        try {
          run();
        } catch {
          // Best effort: one failing hook must not keep the others from running.
        }
      }
    });
  }
  registry[phase].add(hook);
}
