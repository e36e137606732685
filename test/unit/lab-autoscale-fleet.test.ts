import type { AppInstance, Haproxy, ServerAdminState } from '../../harness';
import { AutoscaleFleet } from '../../lab/autoscale-fleet';

/** A stand-in for HAProxy's admin socket: records server states, answers `show stat`. */
function fakeHaproxy(requestsReceived = 0): Haproxy & { states: Map<string, ServerAdminState> } {
  const states = new Map<string, ServerAdminState>();
  const fake = {
    states,
    setServerState: async (name: string, state: ServerAdminState) => void states.set(name, state),
    waitForServerStatus: async () => undefined,
    adminCommand: async (command: string) => {
      if (command !== 'show stat') throw new Error(`unexpected ${command}`);
      return [
        '# pxname,svname,qcur,req_tot,status',
        `fe_main,FRONTEND,,${requestsReceived},OPEN`,
        'be_sticky,auto-1,0,,UP',
        'be_sticky,BACKEND,0,,UP',
        '',
      ].join('\n');
    },
  };
  return fake as unknown as Haproxy & { states: Map<string, ServerAdminState> };
}

const apps = Array.from({ length: 4 }, (_, i) => ({ name: `auto-${i + 1}` }) as AppInstance);
const inService = (lb: { states: Map<string, ServerAdminState> }) => apps.filter((a) => lb.states.get(a.name) === 'ready').map((a) => a.name);

describe('AutoscaleFleet', () => {
  it('puts exactly the first instances in service on reset', async () => {
    // Prepare
    const lb = fakeHaproxy();
    const fleet = new AutoscaleFleet(lb, apps, 1000, 4);

    // Act
    await fleet.reset(2);

    // Assess
    expect(inService(lb)).toEqual(['auto-1', 'auto-2']);
    expect([fleet.serving, fleet.desired]).toEqual([2, 2]);
  });

  it('starts new instances that enter service only after the provisioning time', async () => {
    // Prepare
    const lb = fakeHaproxy();
    const fleet = new AutoscaleFleet(lb, apps, 1000, 4);
    await fleet.reset(2);

    // Act
    await fleet.scaleTo(4, 5000);
    const early = await fleet.admitStarted(5999);
    const onTime = await fleet.admitStarted(6000);

    // Assess
    expect([early, onTime]).toEqual([0, 2]);
    expect(inService(lb)).toEqual(['auto-1', 'auto-2', 'auto-3', 'auto-4']);
  });

  it('scales in by cancelling starting instances first, then taking the highest out of service', async () => {
    // Prepare
    const lb = fakeHaproxy();
    const fleet = new AutoscaleFleet(lb, apps, 1000, 4);
    await fleet.reset(3);
    await fleet.scaleTo(4, 0);

    // Act
    await fleet.scaleTo(2, 100);
    await fleet.admitStarted(5000);

    // Assess
    expect(inService(lb)).toEqual(['auto-1', 'auto-2']);
    expect(lb.states.get('auto-3')).toBe('maint');
    expect([fleet.serving, fleet.desired]).toEqual([2, 2]);
  });

  it('refuses a size the fleet does not have', async () => {
    // Act / Assess
    await expect(new AutoscaleFleet(fakeHaproxy(), apps, 1000, 4).scaleTo(5, 0)).rejects.toThrow('scaleTo(5): the fleet has 4 instances');
  });

  it('reads the requests received from the frontend row of show stat', async () => {
    // Act / Assess
    expect(await new AutoscaleFleet(fakeHaproxy(1234), apps, 1000, 4).requestsReceived()).toBe(1234);
  });
});
