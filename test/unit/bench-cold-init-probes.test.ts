import { COLD_INIT_PROBES, coldInitProbe } from '../../bench/cold-init-bench';
import { HANDLERS_DIR, handlerFiles } from '../../lib/function/handler-build';

describe('cold-init benchmark probes', () => {
  it('has a probe for every handler file, and none for a handler that is gone', () => {
    // Prepare
    const handlers = handlerFiles(HANDLERS_DIR);

    // Act
    const probed = Object.keys(COLD_INIT_PROBES).sort();

    // Assess
    expect(probed).toEqual(handlers);
  });

  it('names the file to edit when a handler has no probe', () => {
    expect(() => coldInitProbe('new-pattern-handler')).toThrow(
      'cold init: no probe for new-pattern-handler: add one to COLD_INIT_PROBES in bench/cold-init-bench.ts (how to invoke it without AWS, and its first engine request)',
    );
  });
});
