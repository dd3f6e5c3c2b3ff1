import { promises as fsp } from 'node:fs';
import { driverWorld, header } from './testing/fixtures';

const SIZE = 512 << 20;
const OBJECT = 128 << 20;

describe('runBackup streaming', () => {
  it('backs up a 512 MiB sparse volume in 128 MiB objects without holding an object in memory', async () => {
    const w = await driverWorld();
    try {
      const fh = await fsp.open(w.volumePath, 'w');
      await fh.write(Buffer.from('needle'), 0, 6, SIZE - 4096);
      await fh.truncate(SIZE);
      await fh.close();
      const rssBefore = process.memoryUsage().rss;

      const { result } = await w.backup(header(), {
        objectSizeBytes: OBJECT,
        shaBlockSizeBytes: 32768,
        compression: 'zstd',
        bufferedObjectMaxBytes: 1 << 20,
        workers: 2,
      });

      expect(result.objects.map((o) => [o.offsetBytes, o.lengthBytes, o.compression])).toEqual(
        [0, 1, 2, 3].map((i) => [i * OBJECT, OBJECT, 'zstd']),
      );
      expect(result.sha256s).toHaveLength(SIZE / 32768);
      expect(process.memoryUsage().rss - rssBefore).toBeLessThan(256 << 20);
    } finally {
      await w.cleanup();
    }
  });
});
