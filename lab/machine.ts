/**
 * What the lab ran on, for the report: figures such as throughput or commit latency only mean
 * something next to the CPU count, the memory and the engine versions that produced them.
 */
import { execFile } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { pgBinDir } from '../harness/postgres-node';

const execFileAsync = promisify(execFile);

export interface MachineInfo {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  /** e.g. `Linux 6.1.0 x64` */
  readonly os: string;
  readonly node: string;
  /** Engine versions (`15.18`), or `unavailable` when the binary did not answer. */
  readonly postgres: string;
  readonly redis: string;
  readonly haproxy: string;
}

export type Engine = 'postgres' | 'redis' | 'haproxy';

const VERSION_PATTERNS: Record<Engine, RegExp> = {
  postgres: /PostgreSQL\)\s+(\S+)/, // postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)
  redis: /\bv=(\S+)/, //                Redis server v=7.0.15 sha=00000000:0 ...
  haproxy: /version\s+(\S+)/i, //       HAProxy version 2.6.12-1+deb12u3 2025/10/03 ...
};

/** The version in an engine's `--version` output, or `unavailable` when it is not there. */
export function parseEngineVersion(engine: Engine, output: string): string {
  return VERSION_PATTERNS[engine].exec(output)?.[1] ?? 'unavailable';
}

/** The same binaries the harness runs (same environment overrides). */
function engineBinaries(): Record<Engine, string> {
  return {
    postgres: path.join(pgBinDir(), 'postgres'),
    redis: process.env.REDIS_SERVER_BIN ?? '/usr/bin/redis-server',
    haproxy: process.env.HAPROXY_BIN ?? '/usr/sbin/haproxy',
  };
}

/** `haproxy --version` prints its version but exits 1, so the output counts whatever the exit code. */
async function engineVersion(engine: Engine, binary: string): Promise<string> {
  const output = await execFileAsync(binary, ['--version'], { timeout: 5000 }).catch(
    (error: { stdout?: string; stderr?: string }) => ({ stdout: error.stdout ?? '', stderr: error.stderr ?? '' }),
  );
  return parseEngineVersion(engine, `${output.stdout}\n${output.stderr}`);
}

/**
 * CPU, memory, OS and engine versions of this machine.
 *
 * @example
 * const machine = await describeMachine(); // { cpus: 2, cpuModel: 'AMD EPYC', postgres: '15.18', ... }
 */
export async function describeMachine(): Promise<MachineInfo> {
  const binaries = engineBinaries();
  const [postgres, redis, haproxy] = await Promise.all(
    (['postgres', 'redis', 'haproxy'] as const).map((engine) => engineVersion(engine, binaries[engine])),
  );
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    postgres,
    redis,
    haproxy,
  };
}

/** One line for logs and the report header. */
export function describeMachineBriefly(m: MachineInfo): string {
  return `${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}, PostgreSQL ${m.postgres}, Redis ${m.redis}, HAProxy ${m.haproxy}`;
}
