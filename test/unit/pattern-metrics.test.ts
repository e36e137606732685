import { systemClock } from '../../lambdas/core/clock';
import { InstanceIdentity } from '../../lambdas/core/reverse-proxy-identity';
import { createPatternApp } from '../../lambdas/http/app';
import { cacheAsideRoutes } from '../../lambdas/http/cache-aside-routes';
import { PATTERN_METRICS_NAMESPACE } from '../../lambdas/observability/metric-names';
import { publishRequestMetrics } from '../../lambdas/observability/pattern-metrics';

interface EmfBlob {
  readonly _aws: { readonly CloudWatchMetrics: ReadonlyArray<{ readonly Namespace: string; readonly Dimensions: string[][]; readonly Metrics: Array<{ Name: string; Unit: string }> }> };
  readonly [key: string]: unknown;
}

/** The EMF blobs written to stdout while `act` runs. */
async function emfWrittenBy(act: () => unknown): Promise<EmfBlob[]> {
  const written: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(chunk.toString());
    return true;
  });
  try {
    await act();
  } finally {
    spy.mockRestore();
  }
  return written
    .flatMap((text) => text.split('\n'))
    .filter((line) => line.includes('"CloudWatchMetrics"'))
    .map((line) => JSON.parse(line) as EmfBlob);
}

describe('pattern metrics (EMF)', () => {
  const identity = new InstanceIdentity({ tier: 'lambda', region: 'eu-west-1', instanceId: 'metrics-1' }, systemClock);
  const answers = { 'p-hit': 'hit', 'p-miss': 'miss' } as const;
  const app = createPatternApp(identity, [
    cacheAsideRoutes({
      readProfile: async (id) => ({ value: { id }, cache: answers[id as keyof typeof answers], elapsedMs: 1 }),
      writeProfile: async () => {
        throw new Error('not used');
      },
    }),
  ]);

  it('publishes one EMF blob per request with the counted cache outcome, in the patterns namespace', async () => {
    // Act
    const blobs = await emfWrittenBy(async () => {
      await app.request('/profiles/p-hit');
      await app.request('/profiles/p-miss');
    });

    // Assess
    expect(blobs).toHaveLength(2);
    expect(blobs.map((blob) => blob._aws.CloudWatchMetrics[0].Namespace)).toEqual([PATTERN_METRICS_NAMESPACE, PATTERN_METRICS_NAMESPACE]);
    expect(blobs[0]).toMatchObject({ CacheHit: 1, service: 'scalability-patterns' });
    expect(blobs[1]).toMatchObject({ CacheMiss: 1 });
    expect(blobs[0]._aws.CloudWatchMetrics[0].Dimensions).toEqual([['service']]);
    expect(blobs[0]._aws.CloudWatchMetrics[0].Metrics).toEqual([{ Name: 'CacheHit', Unit: 'Count' }]);
  });

  it('publishes nothing for a request that counted nothing (no empty blob, no warning)', async () => {
    const blobs = await emfWrittenBy(() => app.request('/nowhere'));

    expect(blobs).toEqual([]);
  });

  it('leaves publication to the host when asked (the container): no line per request, one line with every count', async () => {
    // Prepare
    const hostApp = createPatternApp(identity, [
      cacheAsideRoutes({
        readProfile: async (id) => ({ value: { id }, cache: answers[id as keyof typeof answers], elapsedMs: 1 }),
        writeProfile: async () => {
          throw new Error('not used');
        },
      }),
    ], { metricsPublication: 'host' });

    // Act
    const duringRequests = await emfWrittenBy(async () => {
      for (let i = 0; i < 3; i += 1) await hostApp.request('/profiles/p-hit');
      await hostApp.request('/profiles/p-miss');
    });
    const atPublication = await emfWrittenBy(() => publishRequestMetrics());

    // Assess
    expect(duringRequests).toEqual([]);
    expect(atPublication).toHaveLength(1);
    // Summed per name before Powertools sees them: one value per metric per publication (dashboards plot the Sum).
    expect(atPublication[0]).toMatchObject({ CacheHit: 3, CacheMiss: 1 });
  });
});
