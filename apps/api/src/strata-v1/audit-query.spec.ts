import { HttpFault } from '../errors/cinder-fault';
import { nextEventsLink, parseBackupEventsQuery, parseEventsQuery } from './audit-query';

describe('parseEventsQuery', () => {
  it('defaults to the first 100 events, unfiltered', async () => {
    expect(await parseEventsQuery({})).toEqual({
      since: undefined,
      until: undefined,
      types: [],
      projectId: undefined,
      volumeId: undefined,
      afterPosition: undefined,
      limit: 100,
    });
  });

  it('reads every filter, normalising times to the form events carry', async () => {
    expect(
      await parseEventsQuery({
        since: '2026-11-27T10:00:00Z',
        until: '2026-11-27T11:00:00+01:00',
        type: ['BackupRequested', 'BackupDeleted,BackupFailed'],
        project_id: 'p',
        volume_id: 'v',
        after_position: '42',
        limit: '5000',
      }),
    ).toEqual({
      since: '2026-11-27T10:00:00.000Z',
      until: '2026-11-27T10:00:00.000Z',
      types: ['BackupRequested', 'BackupDeleted', 'BackupFailed'],
      projectId: 'p',
      volumeId: 'v',
      afterPosition: 42n,
      limit: 1000,
    });
  });

  it('takes marker as the position to page after', async () => {
    expect((await parseEventsQuery({ marker: '7' })).afterPosition).toBe(7n);
  });

  it.each([
    [{ since: 'yesterday' }, "since must be an ISO 8601 time such as 2026-11-27T10:00:00Z, got 'yesterday'."],
    [
      { since: '2026-11-27T12:00:00Z', until: '2026-11-27T10:00:00Z' },
      'since (2026-11-27T12:00:00.000Z) is after until (2026-11-27T10:00:00.000Z).',
    ],
    [{ limit: '0' }, "limit must be a positive integer, got '0'."],
    [{ after_position: '-1' }, "after_position must be a log position (a whole number), got '-1'."],
    [{ project_id: ['a', 'b'] }, 'project_id may be given once.'],
    [{ colour: 'red' }, 'Invalid filter(s): colour. Known: since, until, type, project_id, volume_id, marker, after_position, limit.'],
  ])('refuses %j with a 400 that says why', async (query, message) => {
    await expect(parseEventsQuery(query)).rejects.toThrow(new HttpFault(400, message));
  });
});

describe('parseBackupEventsQuery', () => {
  it('pages, and has no filters', async () => {
    expect(await parseBackupEventsQuery({ limit: '3', after_position: '9' })).toEqual({ afterPosition: 9n, limit: 3 });
    await expect(parseBackupEventsQuery({ type: 'BackupRequested' })).rejects.toThrow(HttpFault);
  });
});

describe('nextEventsLink', () => {
  it('repeats the query, repeated keys included, after the last position', () => {
    expect(nextEventsLink('http://h', '/strata/v1/events', { type: ['A', 'B'], after_position: '3', limit: '2' }, 10n)).toEqual([
      { rel: 'next', href: 'http://h/strata/v1/events?type=A&type=B&limit=2&after_position=10' },
    ]);
  });
});
