/** Tables for people, JSON for scripts: openstack's box tables, one row per item, or Field/Value for one item. */
const cell = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

export const printTable = (rows: readonly Record<string, unknown>[], columns: readonly [string, string][]) => {
  const cells = rows.map((r) => columns.map(([key]) => cell(r[key])));
  const widths = columns.map(([, title], i) => Math.max(title.length, ...cells.map((c) => c[i].length)));
  const line = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+`;
  const row = (values: string[]) => `| ${values.map((v, i) => v.padEnd(widths[i])).join(' | ')} |`;
  console.log([line, row(columns.map(([, t]) => t)), line, ...cells.map(row), line].join('\n'));
};

export const printFields = (item: Record<string, unknown>) =>
  printTable(
    Object.keys(item)
      .filter((k) => k !== 'links')
      .sort()
      .map((k) => ({ field: k, value: item[k] })),
    [
      ['field', 'Field'],
      ['value', 'Value'],
    ],
  );

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** 1536 → "1.5 KiB": sizes in binary units, as volumes are sized. */
export const formatBytes = (n: number) => {
  let v = n;
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} B` : `${v.toFixed(1)} ${UNITS[u]}`;
};
