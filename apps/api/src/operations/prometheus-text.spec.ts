import { exposition, histogramSamples } from './prometheus-text';

describe('exposition', () => {
  it('writes HELP, TYPE and samples with escaped label values', () => {
    expect(
      exposition([
        {
          name: 'strata_backups',
          type: 'gauge',
          help: 'Backups\nby status',
          samples: [
            { labels: { status: 'avail"able' }, value: 2 },
            { labels: { status: 'a\\b' }, value: 0 },
          ],
        },
      ]),
    ).toBe(
      [
        '# HELP strata_backups Backups\\nby status',
        '# TYPE strata_backups gauge',
        'strata_backups{status="avail\\"able"} 2',
        'strata_backups{status="a\\\\b"} 0',
        '',
      ].join('\n'),
    );
  });
});

describe('histogramSamples', () => {
  it('counts cumulatively per bucket, then +Inf, sum and count', () => {
    expect(histogramSamples([0.5, 3, 100], [1, 5], { kind: 'backup' })).toEqual([
      { suffix: '_bucket', labels: { kind: 'backup', le: '1' }, value: 1 },
      { suffix: '_bucket', labels: { kind: 'backup', le: '5' }, value: 2 },
      { suffix: '_bucket', labels: { kind: 'backup', le: '+Inf' }, value: 3 },
      { suffix: '_sum', labels: { kind: 'backup' }, value: 103.5 },
      { suffix: '_count', labels: { kind: 'backup' }, value: 3 },
    ]);
  });
});
