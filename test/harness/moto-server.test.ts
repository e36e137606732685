/** moto_server runs under the harness's process registry, so stopAll() (and the exit hook) reach it. */
import { isAlive, runningProcesses, startMotoServer, stopAll } from '../../harness';

describe('startMotoServer', () => {
  afterAll(() => stopAll());

  it('registers moto with the harness, answers, and is stopped by stopAll()', async () => {
    // Prepare
    const moto = await startMotoServer();

    // Act
    const registered = runningProcesses().some((p) => p.pid === moto.pid);
    await moto.reset();
    await stopAll(5000);

    // Assess
    expect(registered).toBe(true);
    expect(isAlive(moto.pid)).toBe(false);
    expect(runningProcesses().some((p) => p.pid === moto.pid)).toBe(false);
  });

  it('says how to install it when the command does not exist', async () => {
    await expect(startMotoServer({ command: 'no-such-moto-server-binary' })).rejects.toThrow(
      `'no-such-moto-server-binary' is not installed or not on PATH`,
    );
  });
});
