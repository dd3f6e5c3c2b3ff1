import { setFlagsFromString } from 'node:v8';
import { HEAP_GROWING_PERCENT, keepHeapsNearLiveSize } from './heap-growing';

// What it asks of V8; the effect on a service's peak memory is measured by the benches (docs/performance.md).
jest.mock('node:v8', () => ({ setFlagsFromString: jest.fn() }));
const setFlags = jest.mocked(setFlagsFromString);
beforeEach(() => setFlags.mockClear());

describe('heaps kept near what they hold alive', () => {
  it('sets how far every heap of the process may grow past what a full collection kept', () => {
    expect(keepHeapsNearLiveSize(['--enable-source-maps'])).toBe(true);

    expect(setFlags).toHaveBeenCalledWith(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  });

  it.each([['--heap-growing-percent=200'], ['--heap_growing_percent=10']])('leaves it to the operator who gave node %s', (flag) => {
    expect(keepHeapsNearLiveSize([flag])).toBe(false);

    expect(setFlags).not.toHaveBeenCalled();
  });
});
