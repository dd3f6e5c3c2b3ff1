import { at, event, openTestCatalog, type TestCatalog } from '../testing/catalog-fixtures';

let t: TestCatalog;
beforeEach(() => {
  t = openTestCatalog();
});
afterEach(() => t.close());

const registered = (host: string, binary: 'cinder-volume' | 'cinder-backup', zone = 'nova', minute = 1) =>
  event('ServiceRegistered', { host, binary, zone, registeredAt: at(minute) });

describe('services projection', () => {
  it('shows each registered service once, enabled, in the order they registered', async () => {
    await t.given([registered('node-a@file', 'cinder-volume'), registered('node-a', 'cinder-backup', 'nova', 2)]);
    expect(t.catalog.listServices()).toEqual([
      {
        binary: 'cinder-volume',
        host: 'node-a@file',
        zone: 'nova',
        disabled: false,
        disabledReason: null,
        createdAt: at(1),
        modifiedAt: null,
      },
      { binary: 'cinder-backup', host: 'node-a', zone: 'nova', disabled: false, disabledReason: null, createdAt: at(2), modifiedAt: null },
    ]);
  });

  it('follows disables, enables and a move to another zone, keeping the first registration time', async () => {
    await t.given([
      registered('node-a', 'cinder-backup'),
      event('ServiceDisabled', { host: 'node-a', binary: 'cinder-backup', disabledReason: 'disk swap', disabledAt: at(3) }),
      registered('node-a', 'cinder-backup', 'az2', 4),
    ]);
    expect(t.catalog.listServices()[0]).toMatchObject({
      zone: 'az2',
      disabled: true,
      disabledReason: 'disk swap',
      createdAt: at(1),
      modifiedAt: at(3),
    });
    await t.given([event('ServiceEnabled', { host: 'node-a', binary: 'cinder-backup', enabledAt: at(5) })]);
    expect(t.catalog.listServices()[0]).toMatchObject({ disabled: false, disabledReason: 'disk swap', modifiedAt: at(5) });
  });

  it("filters on host as Cinder's automatic host match does, and on binary", async () => {
    await t.given([
      registered('node-a@file', 'cinder-volume', 'nova', 1),
      registered('node-a', 'cinder-backup', 'nova', 2),
      registered('node-ab', 'cinder-backup', 'nova', 3),
      registered('node-a@file#pool', 'cinder-volume', 'nova', 4),
    ]);
    const hosts = (filters: { host?: string; binary?: string }) => t.catalog.listServices(filters).map((s) => s.host);
    expect(hosts({ host: 'node-a' })).toEqual(['node-a@file', 'node-a', 'node-a@file#pool']);
    expect(hosts({ host: 'node-a@file' })).toEqual(['node-a@file', 'node-a@file#pool']);
    expect(hosts({ host: 'node-a@file#pool' })).toEqual(['node-a@file#pool']);
    expect(hosts({ host: 'node-a%' })).toEqual([]);
    expect(hosts({ binary: 'cinder-backup' })).toEqual(['node-a', 'node-ab']);
  });
});
