import type { PastBackupColumns, PastBackupSelect } from '@strata/catalog';
import { atLeast } from '../context/microversion';
import type { RequestContext } from '../context/request-context';
import { linksOf } from '../shared/cinder-view';
import { NULL_KEY } from './backup.presenter';

/**
 * `backupDetail` as SQL: each backup's JSON text written by SQLite, for the answers that hold every backup
 * (`GET /strata/v1/backups?as_of=…`). Parsing each row, building its object and then its JSON took more than
 * the query: for the 30,000 backups of a 238,443-event catalog after its history's end, the whole answer
 * took 3.46 G instructions that way and 2.28 G this way (callgrind, with node's start), and over HTTP at a
 * million events (124,194 backups, 97.7 MB) 1.79–2.23 s against 2.30–3.62 s, runs alternating
 * (2026-12-06). The keys, their order and their values are `backupDetail`'s for the same context;
 * `backup-detail.sql.spec.ts` holds the two to the same text.
 *
 * The text is one `concat()` of its pieces: `json_object` cost SQLite about twice as much (it builds a JSON
 * tree first), and a chain of `||` copies the growing text at every piece. Strings go through `json_quote`,
 * but for the id and the status: a backup's id is a lower-case UUID (the event schemas refuse any other) and
 * its status one of the projection's own words, so neither has a character to escape, and the links take
 * their text up to the id quoted by `JSON.stringify` once per request. Those four `json_quote`s were 76 M
 * instructions of the 1.43 G a late answer took at 238,443 events (2026-12-07). `metadata` and
 * `verification` are JSON text already (the projection wrote them).
 * The request's host and project reach the SQL as parameters, never as text.
 */
export const backupDetailSelect = (ctx: RequestContext): PastBackupSelect => {
  const v = ctx.microversion;
  const [self, bookmark] = linksOf(ctx, 'backups', '').map((link) => link.href);
  return {
    sql: (c: PastBackupColumns) => {
      const fields = [
        `'{"id":"', ${c.id}, '","status":"', ${c.status}, '"'`,
        `',"size":', ${c.size}`,
        `',"object_count":', ${c.objectCount}`,
        `',"availability_zone":', json_quote(${c.availabilityZone})`,
        `',"container":', json_quote(${c.container})`,
        `',"created_at":', ${cinderTimeSql(c.createdAt)}`,
        `',"updated_at":', ${cinderTimeSql(c.updatedAt)}`,
        `',"name":', json_quote(${c.name})`,
        `',"description":', json_quote(${c.description})`,
        `',"fail_reason":', json_quote(${c.failReason})`,
        `',"volume_id":', json_quote(${c.volumeId})`,
        `',"links":[{"rel":"self","href":', @viewSelf, ${c.id}, '"},{"rel":"bookmark","href":', @viewBookmark, ${c.id}, '"}]'`,
        `',"is_incremental":', CASE WHEN ${c.parentId} IS NULL THEN 'false' ELSE 'true' END`,
        `',"has_dependent_backups":', CASE WHEN ${c.hasDependentBackups} THEN 'true' ELSE 'false' END`,
        `',"snapshot_id":', json_quote(${c.snapshotId})`,
        `',"data_timestamp":', ${cinderTimeSql(c.dataTimestamp)}`,
      ];
      if (atLeast(v, '3.18') && ctx.isAdmin) fields.push(`',"os-backup-project-attr:project_id":', json_quote(${c.projectId})`);
      if (atLeast(v, '3.43')) fields.push(`',"metadata":', COALESCE(${c.metadata}, '{}')`);
      if (atLeast(v, '3.56') && ctx.isAdmin) fields.push(`',"user_id":', json_quote(${c.userId})`);
      if (atLeast(v, '3.64'))
        fields.push(
          `CASE WHEN ${c.encryptionKeyId} IS NULL OR ${c.encryptionKeyId} IN ('', '${NULL_KEY}') THEN ''
            ELSE ',"encryption_key_id":' || json_quote(${c.encryptionKeyId}) END`,
        );
      if (ctx.strataAttributes.has('verification'))
        fields.push(
          `',"strata:last_verified_at":', ${cinderTimeSql(c.lastVerifiedAt)}`,
          `',"strata:last_verification":',
            CASE WHEN ${c.lastVerification} IS NULL OR ${c.lastVerification} = '' THEN 'null' ELSE ${c.lastVerification} END`,
        );
      return `concat(${fields.join(', ')}, '}')`;
    },
    // Each link's text up to the id, quoted as JSON.stringify quotes it, its closing quote left for the id's.
    params: { viewSelf: JSON.stringify(self).slice(0, -1), viewBookmark: JSON.stringify(bookmark).slice(0, -1) },
  };
};

const CINDER_TIME_START = '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]*';

/**
 * `cinderTime` as SQL, to JSON: `null` for NULL or '', the time as `%Y-%m-%dT%H:%M:%S.%f` (the fraction's leading
 * digits, padded or cut to six) when it starts like one, and otherwise the text as it is.
 *
 * Every time in the catalog is an event's, and every event schema holds its times to `ISO_TIME`
 * (`YYYY-MM-DDTHH:MM:SS[.f…]Z`), so a time 24 characters long is one in milliseconds, as `Date.toISOString`
 * writes nearly all of them: it takes the short way, without the pattern, whose `GLOB` was a quarter of the
 * text's cost (1,800 instructions a time), nor `substr`s to look for the `.` (each a call that counts
 * characters): 1.707 G instructions above node's start for the 30,000 backups after the end of a
 * 238,443-event history with the pattern, 1.655 G with the `substr`s, 1.558 G so (2026-12-06).
 */
const cinderTimeSql = (column: string) => `CASE
    WHEN length(${column}) = 24 THEN concat('"', substr(${column}, 1, 23), '000"')
    WHEN ${column} IS NULL OR ${column} = '' THEN 'null'
    WHEN ${column} GLOB '${CINDER_TIME_START}' THEN
      concat('"', substr(${column}, 1, 19), '.', substr(concat(CASE WHEN substr(${column}, 20, 1) = '.'
        THEN substr(${column}, 21, length(${column}) - 20 - length(ltrim(substr(${column}, 21), '0123456789')))
        ELSE '' END, '000000'), 1, 6), '"')
    ELSE json_quote(${column}) END`;
