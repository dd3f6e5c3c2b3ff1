/**
 * Cinder's `created_at` in `_metadata` is Python's `str()` of an aware UTC datetime:
 * `2024-05-06 07:08:09+00:00`, with `.ffffff` only when microseconds are non-zero.
 * Parsed by hand because `Date` keeps only milliseconds.
 */
const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/i;

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

export const pythonUtcDatetimeString = (iso: string): string => {
  const m = ISO.exec(iso.trim());
  if (!m) throw new RangeError(`not an ISO 8601 date-time: ${iso}`);
  const [, y, mo, d, h, mi, s, frac = '', zone = 'Z'] = m;
  const offsetMinutes =
    zone.toUpperCase() === 'Z' ? 0 : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2)));
  const utc = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi) - offsetMinutes, Number(s)));
  const micros = Number(frac.padEnd(6, '0').slice(0, 6));
  const date = `${pad(utc.getUTCFullYear(), 4)}-${pad(utc.getUTCMonth() + 1)}-${pad(utc.getUTCDate())}`;
  const time = `${pad(utc.getUTCHours())}:${pad(utc.getUTCMinutes())}:${pad(utc.getUTCSeconds())}`;
  return `${date} ${time}${micros ? `.${pad(micros, 6)}` : ''}+00:00`;
};
