/**
 * Builds the context an experiment runs in: progress lines, a scratch directory, and cleanups that
 * always run (the runner calls `close()` after the experiment, on failure and on Ctrl-C too).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ExperimentContext } from './experiment';

export interface LabContext extends ExperimentContext {
  /** Runs every deferred cleanup, newest first; never throws (failures are reported to `onError`). */
  close(onError?: (error: unknown) => void): Promise<void>;
}

export interface LabContextOptions {
  readonly quick: boolean;
  /** Where progress lines go. @default prints to stderr */
  readonly onProgress?: (message: string) => void;
  /** Parent of the scratch directory. @default the OS temp dir */
  readonly scratchRoot?: string;
}

export function createLabContext(id: string, options: LabContextOptions): LabContext {
  const cleanups: Array<() => Promise<unknown>> = [];
  const scratchDir = fs.mkdtempSync(path.join(options.scratchRoot ?? os.tmpdir(), `lab-${id}-`));
  const onProgress = options.onProgress ?? ((message: string) => process.stderr.write(`  ${id}: ${message}\n`));
  return {
    quick: options.quick,
    scratchDir,
    progress: onProgress,
    defer(cleanup) {
      cleanups.push(cleanup);
    },
    async close(onError = () => undefined) {
      for (const cleanup of cleanups.splice(0).reverse()) {
        try {
          await cleanup();
        } catch (error) {
          onError(error);
        }
      }
      fs.rmSync(scratchDir, { recursive: true, force: true });
    },
  };
}
