/**
 * The bounds every path into the log respects, Cinder's where Cinder has one: the HTTP edge refuses a
 * request outside them with Cinder's message, the deciders refuse the command (so no caller can record
 * it), and the event schemas refuse an imported event. One table, so the three cannot drift apart.
 */

/** Cinder's `constants.DB_MAX_INT`: the largest size, count or offset its API takes. */
export const DB_MAX_INT = 2_147_483_647;

/** Names, descriptions, containers, zones, metadata keys and values: Cinder's 255. */
export const MAX_TEXT_LENGTH = 255;

/** Byte counts and offsets: exact in a JavaScript number and an SQLite INTEGER. */
export const MAX_BYTES = Number.MAX_SAFE_INTEGER;

/** Metadata items an event may carry (a request body of Cinder's 112 KiB cannot hold more). */
export const MAX_METADATA_ITEMS = 10_000;

/** Failure reasons are messages from the machine (errno texts, driver errors): kept, but not unbounded. */
export const MAX_REASON_LENGTH = 65_536;

/** Cinder's metadata key pattern (`parameter_types.extra_specs`). */
export const METADATA_KEY = /^[a-zA-Z0-9-_:. /]{1,255}$/;

/** The ids Strata gives volumes, snapshots, backups and events: lower-case canonical UUIDs. */
export const ENTITY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * An ISO 8601 time in UTC, as `toISOString` writes it (microseconds allowed: repository scans keep Cinder's),
 * with each field in its calendar's range: the catalog turns event times into milliseconds (`as_of`'s history,
 * job durations), and a month 13 or an hour 25 would have reached the log as text no clock can read.
 */
export const ISO_TIME = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?Z$/;

/**
 * Why a backup container cannot be used, or null when it can: it names a directory below the repository
 * root (posix, NFS) or a Swift container with pseudo-folders, so it may not leave the root.
 */
export const containerProblem = (container: string): string | null => {
  if (container.length > MAX_TEXT_LENGTH) return `it is longer than ${MAX_TEXT_LENGTH} characters`;
  if (container.includes('\0')) return 'it contains a NUL byte';
  if (container.startsWith('/') || container.startsWith('\\')) return 'it must be a path relative to the repository root';
  const segments = container.split('/');
  if (segments.some((s) => s === '..' || s === '.')) return '"." and ".." may not appear in a container';
  if (segments.every((s) => s === '')) return 'it names the repository root itself';
  return null;
};
