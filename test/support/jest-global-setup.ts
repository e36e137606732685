/**
 * Jest global setup: one folder per run for the synthesized configurations that every worker
 * shares (see `synth-patterns.ts`). Workers start after this and inherit the variable.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SYNTH_CACHE_ENV } from './synth-cache';

export default function globalSetup(): void {
  process.env[SYNTH_CACHE_ENV] = fs.mkdtempSync(path.join(os.tmpdir(), 'patterns-synth-cache-'));
}
