/**
 * What the app writes to stdout (its JSON log lines) while a suite runs, kept to be read and out of the
 * test output. Call at the top of a spec file: it spies from beforeAll to afterAll.
 */
export const captureLog = (): string[] => {
  const logged: string[] = [];
  let stdout: jest.SpyInstance;
  beforeAll(() => {
    stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      logged.push(...String(chunk).split('\n').filter(Boolean));
      return true;
    });
  });
  afterAll(() => stdout.mockRestore());
  return logged;
};

/** The value of a Prometheus series without labels in `/metrics` text, or undefined. */
export const metricSample = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};
