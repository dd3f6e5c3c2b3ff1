import { startStrata, type RunningStrata } from './support/strata-app';

/** Many jobs at once: the worker's bookkeeping must not grow with them, and the logs stay JSON lines. */
describe('two hundred jobs at once', () => {
  let strata: RunningStrata;
  const warnings: Error[] = [];
  const onWarning = (warning: Error) => warnings.push(warning);
  beforeAll(async () => {
    process.on('warning', onWarning);
    strata = await startStrata();
  });
  afterAll(async () => {
    process.off('warning', onWarning);
    await strata?.close();
  });

  it('runs them without a MaxListenersExceededWarning (no listener left on a shared signal per job)', async () => {
    const created = await Promise.all(Array.from({ length: 200 }, (_, i) =>
      strata.client.post('/v3/volumes', { volume: { size: 1, name: `load-${i}` } })));
    expect(created.map((r) => r.status)).toEqual(Array(200).fill(202));
    await strata.client.waitFor('/v3/volumes/detail?limit=1000', (b: any) =>
      b.volumes.filter((v: any) => v.name.startsWith('load-') && v.status === 'available').length === 200);

    expect(warnings.map((w) => `${w.name}: ${w.message}`)).toEqual([]);
    expect((await strata.client.get('/readyz')).status).toBe(200);
  });
});
