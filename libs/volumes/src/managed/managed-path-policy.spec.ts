import { globPattern, managedPathRefusal, type ManagedPathFacts, type ManagedPathPolicy } from './managed-path-policy';

const policy: ManagedPathPolicy = {
  managedVolumePaths: ['/srv/images', '/dev/*'],
  ownPaths: [
    { option: 'state_path', path: '/var/lib/strata' },
    // Strata's own files may sit inside an admitted directory: they are refused all the same.
    { option: 'event_store', path: '/srv/images/strata/events.sqlite' },
    { option: 'event_store', path: '/srv/images/strata/events.sqlite-wal' },
    { option: 'catalog_path', path: '/srv/images/catalog.sqlite' },
  ],
};
const OUTSIDE = 'is outside managed_volume_paths (/srv/images, /dev/*)';

type Case = [label: string, path: string, kind: ManagedPathFacts['kind'], leadsTo: string | null, refusal: string | null];

describe('managedPathRefusal', () => {
  const refusalOf = (path: string, kind: ManagedPathFacts['kind'], leadsTo: string | null, realpaths: [string, string][] = []) =>
    managedPathRefusal(
      { path, kind, realpaths: new Map([...realpaths, ...(leadsTo ? [[path, leadsTo] as [string, string]] : [])]) },
      policy,
    );

  it.each<Case>([
    ['/etc/shadow', '/etc/shadow', 'file', null, OUTSIDE],
    ['a symlink elsewhere into /etc', '/tmp/innocent.img', 'file', '/etc/passwd', OUTSIDE],
    [
      'a symlink in an admitted directory to a forbidden file',
      '/srv/images/passwd',
      'file',
      '/etc/passwd',
      `${OUTSIDE}: it leads to /etc/passwd`,
    ],
    ['a symlink elsewhere to an admitted file', '/tmp/disk.img', 'file', '/srv/images/disk.img', OUTSIDE],
    [
      'the event store',
      '/srv/images/strata/events.sqlite',
      'file',
      null,
      "is Strata's own state (event_store /srv/images/strata/events.sqlite), not a volume",
    ],
    [
      "a symlink to the event store's WAL",
      '/srv/images/db.img',
      'file',
      '/srv/images/strata/events.sqlite-wal',
      "is Strata's own state (event_store /srv/images/strata/events.sqlite-wal), not a volume",
    ],
    [
      'the catalog',
      '/srv/images/catalog.sqlite',
      'file',
      null,
      "is Strata's own state (catalog_path /srv/images/catalog.sqlite), not a volume",
    ],
    [
      'a file under state_path',
      '/var/lib/strata/volumes/volume-1.img',
      'file',
      null,
      "is Strata's own state (state_path /var/lib/strata), not a volume",
    ],
    [
      'a symlink elsewhere into state_path',
      '/tmp/x.img',
      'file',
      '/var/lib/strata/backup/obj',
      "is Strata's own state (state_path /var/lib/strata), not a volume",
    ],
    ['a file in an admitted directory', '/srv/images/db.img', 'file', null, null],
    ['a file deep in an admitted directory', '/srv/images/team/a/db.img', 'file', null, null],
    ['a block device in an admitted directory', '/srv/images/lv0', 'block', null, null],
    ['a sibling whose name only starts like an admitted directory', '/srv/images-old/db.img', 'file', null, OUTSIDE],
    ['a block device matching the /dev glob', '/dev/loop3', 'block', null, null],
    ['a device-mapper link under /dev (both ends match)', '/dev/mapper/vg-lv', 'block', '/dev/dm-3', null],
    [
      'a regular file matching only the /dev glob',
      '/dev/shm/disk.img',
      'file',
      null,
      `${OUTSIDE}: a device glob admits block devices only`,
    ],
    ['a path outside, before it was looked at', '/root/.ssh/id_rsa', undefined, null, OUTSIDE],
    ['a device path, before it was looked at', '/dev/sdb', undefined, null, null],
  ])('%s', (_label, path, kind, leadsTo, refusal) => {
    expect(refusalOf(path, kind, leadsTo)).toBe(refusal);
  });

  it('admits a file through an admitted directory that is itself a symlink', () =>
    expect(refusalOf('/srv/images/db.img', 'file', '/data/images/db.img', [['/srv/images', '/data/images']])).toBeNull());

  it("refuses a file reached through a symlink to state_path's real place", () =>
    expect(refusalOf('/srv/images/events', 'file', '/mnt/strata/events.sqlite', [['/var/lib/strata', '/mnt/strata']])).toBe(
      "is Strata's own state (state_path /var/lib/strata), not a volume",
    ));

  it('admits nothing when managed_volume_paths is empty', () =>
    expect(managedPathRefusal({ path: '/dev/loop0', kind: 'block', realpaths: new Map() }, { managedVolumePaths: [], ownPaths: [] })).toBe(
      'is outside managed_volume_paths ()',
    ));

  it('reads a directory entry with a trailing slash as the directory', () =>
    expect(
      managedPathRefusal(
        { path: '/srv/images/db.img', kind: 'file', realpaths: new Map() },
        { managedVolumePaths: ['/srv/images/'], ownPaths: [] },
      ),
    ).toBeNull());
});

describe('globPattern', () => {
  it.each([
    ['/dev/*', '/dev/loop0', true],
    ['/dev/*', '/dev/mapper/vg-lv', true],
    ['/dev/*', '/devices/x', false],
    ['/dev/loop*', '/dev/loop12', true],
    ['/dev/loop*', '/dev/sda', false],
    ['/dev/sd?', '/dev/sdb', true],
    ['/dev/sd?', '/dev/sdb1', false],
    ['/dev/sd[a-c]', '/dev/sdb', true],
    ['/dev/sd[a-c]', '/dev/sdd', false],
    ['/dev/sd[!a]', '/dev/sda', false],
    ['/dev/sd[!a]', '/dev/sdb', true],
    ['/dev/mapper/vg.data-*', '/dev/mapper/vg.data-lv', true],
    ['/dev/mapper/vg.data-*', '/dev/mapper/vgXdata-lv', false],
  ])('%s matches %s: %s', (glob, path, matches) => expect(globPattern(glob).test(path)).toBe(matches));
});
