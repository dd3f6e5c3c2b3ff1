/** Tables for people, JSON for scripts. */
export const printTable = (rows: readonly Record<string, unknown>[], columns: readonly [string, string][]) => {
  const cells = rows.map((r) => columns.map(([key]) => (r[key] === null || r[key] === undefined ? '' : String(r[key]))));
  const widths = columns.map(([, title], i) => Math.max(title.length, ...cells.map((c) => c[i].length)));
  const line = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+`;
  const row = (values: string[]) => `| ${values.map((v, i) => v.padEnd(widths[i])).join(' | ')} |`;
  console.log([line, row(columns.map(([, t]) => t)), line, ...cells.map(row), line].join('\n'));
};

export const printFields = (item: Record<string, unknown>) =>
  printTable(
    Object.keys(item).filter((k) => k !== 'links').sort().map((k) => ({ field: k, value: typeof item[k] === 'object' && item[k] !== null ? JSON.stringify(item[k]) : item[k] })),
    [['field', 'Field'], ['value', 'Value']],
  );
