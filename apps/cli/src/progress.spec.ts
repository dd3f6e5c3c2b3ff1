import { formatDuration, ProgressReporter, rateOf, renderProgress, type ProgressSink } from './progress';

const MiB = 1024 * 1024;
const sample = (mib: number, seconds: number, totalMib: number | null = 1024) => ({
  bytesDone: mib * MiB,
  bytesTotal: totalMib === null ? null : totalMib * MiB,
  atMs: seconds * 1000,
});

const sinkOf = (isTTY: boolean) => {
  const written: string[] = [];
  const sink: ProgressSink = { isTTY, write: (t) => void written.push(t) };
  return { sink, written };
};

describe('renderProgress', () => {
  it('shows the bar, the percentage, bytes, the rate over recent samples and the time left', () => {
    expect(renderProgress('backup 1234abcd', [sample(0, 0), sample(256, 2)], true)).toBe(
      'backup 1234abcd  [######..................]   25.0%  256.0 MiB / 1.0 GiB  134.2 MB/s  ETA 0:06',
    );
  });

  it('shows only bytes and no ETA while the total is unknown', () => {
    expect(renderProgress('restore 1', [sample(0, 0, null), sample(10, 1, null)], false)).toBe('restore 1  10.0 MiB  10.5 MB/s');
  });

  it('has no rate before two samples span time', () => {
    expect(renderProgress('b', [sample(0, 0)], false)).toBe('b    0.0%  0 B / 1.0 GiB  -- MB/s');
  });
});

describe('rateOf', () => {
  it('forgets samples older than its window, so a stall shows as a falling rate', () => {
    expect(rateOf([sample(0, 0), sample(500, 5), sample(500, 10)])).toBe(0);
  });
});

describe('formatDuration', () => {
  it('prints minutes and seconds, and hours when there are any', () => {
    expect([formatDuration(75), formatDuration(3725)]).toEqual(['1:15', '1:02:05']);
  });
});

describe('ProgressReporter', () => {
  it('redraws one line in place on a terminal and ends it with a newline', () => {
    const { sink, written } = sinkOf(true);
    const r = new ProgressReporter('b', sink, 5_000);
    r.update(sample(0, 0));
    r.update(sample(512, 1));
    r.finish();
    expect(written.every((w) => w.startsWith('\r\x1b[K'))).toBe(true);
    expect(written[written.length - 1]).toMatch(/50\.0%.*\n$/);
  });

  it('prints a plain line at most every interval elsewhere, and the last state at the end', () => {
    const { sink, written } = sinkOf(false);
    const r = new ProgressReporter('b', sink, 5_000);
    for (const s of [0, 1, 2, 6, 7]) r.update(sample(s * 100, s));
    r.complete(8_000);
    r.finish('done');
    expect(written.map((w) => /[\d.]+%/.exec(w)?.[0])).toEqual(['0.0%', '58.6%', '100.0%', undefined]);
    expect(written[3]).toBe('done\n');
  });

  it('shows a job complete at its size when it ended before any progress with a total was seen', () => {
    const { sink, written } = sinkOf(false);
    const r = new ProgressReporter('restore', sink, 5_000);
    r.update(sample(0, 0, null));
    r.complete(600, undefined, 1024 * MiB);
    r.finish();
    expect(written[written.length - 1]).toMatch(/100\.0%\s+1\.0 GiB \/ 1\.0 GiB/);
  });

  it('keeps the total its progress gave over the size given for want of one', () => {
    const { sink, written } = sinkOf(false);
    const r = new ProgressReporter('restore', sink, 5_000);
    r.update(sample(100, 0, 2048));
    r.complete(600, undefined, 1024 * MiB);
    r.finish();
    expect(written[written.length - 1]).toMatch(/100\.0%\s+2\.0 GiB \/ 2\.0 GiB/);
  });
});
