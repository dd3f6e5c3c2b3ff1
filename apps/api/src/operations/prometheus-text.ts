/** Prometheus' text exposition format (version 0.0.4), written by hand: HELP, TYPE, then the samples. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export type Labels = Readonly<Record<string, string>>;
export interface Sample {
  readonly labels?: Labels;
  readonly value: number;
  /** Appended to the family name: `_bucket`, `_sum`, `_count`. */
  readonly suffix?: string;
}
export interface MetricFamily {
  readonly name: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  readonly help: string;
  readonly samples: readonly Sample[];
}

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const escapeHelp = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

const formatValue = (v: number) => (Number.isNaN(v) ? 'NaN' : v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : String(v));

const formatLabels = (labels: Labels | undefined) => {
  const entries = Object.entries(labels ?? {});
  return entries.length === 0 ? '' : `{${entries.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}`;
};

export const exposition = (families: readonly MetricFamily[]): string =>
  families
    .map((f) =>
      [
        `# HELP ${f.name} ${escapeHelp(f.help)}`,
        `# TYPE ${f.name} ${f.type}`,
        ...f.samples.map((s) => `${f.name}${s.suffix ?? ''}${formatLabels(s.labels)} ${formatValue(s.value)}`),
      ].join('\n'),
    )
    .join('\n') + '\n';

/** Cumulative buckets, `_sum` and `_count` of one labelled series of a histogram. */
export const histogramSamples = (values: readonly number[], bounds: readonly number[], labels: Labels = {}): Sample[] => [
  ...[...bounds, Infinity].map((le) => ({
    suffix: '_bucket',
    labels: { ...labels, le: formatValue(le) },
    value: values.filter((v) => v <= le).length,
  })),
  { suffix: '_sum', labels, value: values.reduce((a, b) => a + b, 0) },
  { suffix: '_count', labels, value: values.length },
];

/** A histogram whose cumulative buckets, sum and count are kept elsewhere (as events arrive), as samples. */
export const keptHistogramSamples = (
  histogram: { readonly buckets: readonly { readonly le: number; readonly count: number }[]; readonly sum: number; readonly count: number },
  labels: Labels = {},
): Sample[] => [
  ...histogram.buckets.map((b) => ({ suffix: '_bucket', labels: { ...labels, le: formatValue(b.le) }, value: b.count })),
  { suffix: '_sum', labels, value: histogram.sum },
  { suffix: '_count', labels, value: histogram.count },
];
