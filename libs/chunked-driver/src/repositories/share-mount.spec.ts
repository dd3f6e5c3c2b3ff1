import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../testing/fixtures';
import { mountedPaths, shareMountPoint } from './share-mount';

describe('shareMountPoint', () => {
  it("is the base plus the md5 of the share string, as os-brick's RemoteFsClient names it", () => {
    // python3 -c "import hashlib; print(hashlib.md5(b'filer:/export/backups').hexdigest())"
    expect(shareMountPoint('/var/lib/strata/backup_mount', 'filer:/export/backups')).toBe(
      '/var/lib/strata/backup_mount/9307f7fc9f428ec4a4ae6f4a4788ae7b',
    );
  });
});

describe('mountedPaths', () => {
  it('reads the mount points of a mountinfo file, undoing its octal escapes', async () => {
    const tmp = await tempDir();
    try {
      const file = path.join(tmp.dir, 'mountinfo');
      await fsp.writeFile(
        file,
        ['22 1 8:1 / / rw,relatime - ext4 /dev/sda1 rw', '42 22 7:0 / /tmp/with\\040space rw,relatime - ext4 /dev/loop0 rw', ''].join('\n'),
      );
      expect([...(await mountedPaths(file))]).toEqual(['/', '/tmp/with space']);
    } finally {
      await tmp.cleanup();
    }
  });
});
