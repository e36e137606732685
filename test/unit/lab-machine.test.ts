import * as os from 'node:os';
import { describeMachine, describeMachineBriefly, parseEngineVersion } from '../../lab/machine';

describe('parseEngineVersion', () => {
  it.each([
    ['postgres', 'postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)\n', '15.18'],
    ['redis', 'Redis server v=7.0.15 sha=00000000:0 malloc=jemalloc-5.3.0 bits=64 build=e08dbad3e06f3fb\n', '7.0.15'],
    ['haproxy', 'HAProxy version 2.6.12-1+deb12u3 2025/10/03 - https://haproxy.org/\nStatus: long-term', '2.6.12-1+deb12u3'],
    ['redis', 'command not found', 'unavailable'],
  ] as const)('reads the %s version from its --version output', (engine, output, version) => {
    // Act / Assess
    expect(parseEngineVersion(engine, output)).toBe(version);
  });
});

describe('describeMachine', () => {
  it('describes the CPUs, memory, OS and Node of this machine, and the version of each engine the lab runs', async () => {
    // Act
    const machine = await describeMachine();
    // Assess: the engines are installed wherever the lab and the integration tests run, so
    // "unavailable" here is a failure (of the machine or of the version probe), not a pass.
    expect(machine).toMatchObject({ cpus: os.cpus().length, node: process.version });
    expect(machine.memoryGiB).toBeGreaterThan(0);
    expect(machine.postgres).toMatch(/^15\.\d+$/);
    expect(machine.redis).toMatch(/^\d+\.\d+\.\d+$/);
    expect(machine.haproxy).toMatch(/^\d+\.\d+\S*$/);
    expect(describeMachineBriefly(machine)).toContain(`${machine.cpus} × ${machine.cpuModel}`);
  });
});
