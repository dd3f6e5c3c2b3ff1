/**
 * How Cinder's Python renders values in notification payloads, for the few places where its text is the
 * contract: `datetime.isoformat()` of an aware UTC time, `str(dict)`, and oslo's own timestamp.
 */

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `datetime.isoformat()` of a UTC-aware datetime: microseconds only when not zero, `+00:00` as the zone. */
export const pythonIsoformat = (iso: string): string => {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const base = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const micros = microsOf(iso, d);
  return `${base}${micros === 0 ? '' : `.${pad(micros, 6)}`}+00:00`;
};

/** oslo.messaging's notification timestamp: `str(utcnow())`, `YYYY-MM-DD HH:MM:SS.ffffff`, no zone. */
export const osloTimestamp = (iso: string): string => {
  const d = new Date(iso);
  const micros = microsOf(iso, d);
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return micros === 0 ? `${date} ${time}` : `${date} ${time}.${pad(micros, 6)}`;
};

/** Microseconds of an ISO time, from its text when it carries more digits than a Date keeps. */
const microsOf = (iso: string, d: Date): number => {
  const fraction = /\.(\d+)(?:Z|[+-]\d\d:?\d\d)?$/.exec(iso)?.[1];
  return fraction ? Number(fraction.slice(0, 6).padEnd(6, '0')) : d.getUTCMilliseconds() * 1000;
};

const pythonString = (s: string): string => {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  const escaped = s
    .replace(/\\/g, '\\\\')
    .replace(new RegExp(quote, 'g'), `\\${quote}`)
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t');
  return `${quote}${escaped}${quote}`;
};

/** `str(dict)` of a str-to-str dict, as Python prints it: `{'k': 'v', 'k2': 'v2'}`. */
export const pythonDict = (d: Readonly<Record<string, string>>): string =>
  `{${Object.entries(d)
    .map(([k, v]) => `${pythonString(k)}: ${pythonString(v)}`)
    .join(', ')}}`;
