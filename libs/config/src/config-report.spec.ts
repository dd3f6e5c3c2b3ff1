import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeSource, loadConfig, readConfig } from './load-config';
import { optionDefinitions } from './strata-options';

const withConf = (text: string) => {
  const cwd = mkdtempSync(join(tmpdir(), 'strata-config-report-'));
  writeFileSync(join(cwd, 'strata.conf'), text);
  return { cwd, path: join(cwd, 'strata.conf') };
};

describe('every option honoured or reported', () => {
  it('says where each value came from: default, file and line, environment', () => {
    const { cwd, path } = withConf('[DEFAULT]\n# comment\nlog_level = debug\n\nmessage_ttl = 60\n');
    const report = readConfig({ env: { STRATA_MESSAGE_TTL: '120' }, cwd });
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([]);
    expect(describeSource(report.sources.log_level)).toBe(`${path}:3`);
    expect(describeSource(report.sources.message_ttl)).toBe('environment STRATA_MESSAGE_TTL');
    expect(describeSource(report.sources.osapi_max_limit)).toBe('default');
    expect(report.values.message_ttl).toBe(120);
  });

  it('warns about an unknown option with its file and line, and the option it may have meant', () => {
    const { cwd, path } = withConf('[DEFAULT]\nbackup_compresion_algorithm = zstd\nfrobnicate = yes\n');
    const report = readConfig({ env: {}, cwd });
    expect(report.warnings).toEqual([
      `${path}:2: unknown option backup_compresion_algorithm; it is ignored (did you mean backup_compression_algorithm?)`,
      `${path}:3: unknown option frobnicate; it is ignored`,
    ]);
    // A warning does not stop the start-up.
    expect(report.errors).toEqual([]);
    expect(loadConfig({ env: {}, cwd }).backup_compression_algorithm).toBe('zlib');
  });

  it("warns about Cinder's options that Strata does not implement, saying so", () => {
    const { cwd, path } = withConf('[DEFAULT]\nbackup_workers = 4\nbackup_native_threads_pool_size = 60\nenabled_backends = lvm\n');
    const [workers, threads, backends] = readConfig({ env: {}, cwd }).warnings;
    expect(workers).toMatch(new RegExp(`^${path}:2: backup_workers is a Cinder option that Strata does not implement; it is ignored \\(`));
    expect(threads).toMatch(/^.*:3: backup_native_threads_pool_size is a Cinder option that Strata does not implement/);
    expect(backends).toBe(`${path}:4: enabled_backends is a Cinder option that Strata does not implement; it is ignored`);
  });

  it('warns about sections Strata does not read and STRATA_ variables that name no option', () => {
    const { cwd, path } = withConf('[DEFAULT]\nlog_level = info\n[database]\nconnection = mysql://x\n');
    const report = readConfig({
      env: { STRATA_LOG_LEVLE: 'debug', STRATA_URL: 'http://x', STRATA_BACKUP_WORKERS: '2', STRATA_DIRECT_IO: '0', STRATA_DEFLATE: 'node' },
      cwd,
    });
    expect(report.warnings).toEqual([
      `${path}:3: section [database] is not read by Strata; its options (connection) are ignored`,
      'environment STRATA_LOG_LEVLE: unknown option log_levle; it is ignored (did you mean log_level?)',
      expect.stringMatching(/^environment STRATA_BACKUP_WORKERS: backup_workers is a Cinder option that Strata does not implement/),
    ]);
  });

  it('warns about an engine switch set to a value it does not understand', () => {
    const { cwd } = withConf('[DEFAULT]\n');
    const report = readConfig({ env: { STRATA_DIRECT_IO: 'false', STRATA_DEFLATE: 'zlib' }, cwd });
    expect(report.warnings).toEqual([
      'environment STRATA_DIRECT_IO=false: not one of 0, 1; it is ignored (the default stays)',
      'environment STRATA_DEFLATE=zlib: not one of node; it is ignored (the default stays)',
    ]);
  });

  it('collects the errors that stop the start-up, naming the file and line', () => {
    const { cwd, path } = withConf('[DEFAULT]\nosapi_max_limit = lots\n');
    const report = readConfig({ env: {}, cwd });
    expect(report.options).toBeNull();
    expect(report.errors.map((e) => e.message)).toEqual([
      `Invalid value for option osapi_max_limit (from ${path}:2): "lots" is not an integer`,
    ]);
    expect(() => loadConfig({ env: {}, cwd })).toThrow(report.errors[0]!.message);
    const broken = withConf('[DEFAULT]\nnot an option line\n');
    expect(readConfig({ env: {}, cwd: broken.cwd }).errors[0]!.message).toBe(`${broken.path}:2: cannot parse "not an option line"`);
  });

  it('reports no option of its own table: the table is the list of what is implemented', () => {
    const { cwd } = withConf(
      `[DEFAULT]\n${Object.keys(optionDefinitions)
        .map((name) => `# ${name}`)
        .join('\n')}\n`,
    );
    const lines = Object.keys(optionDefinitions).map(
      (name) => `${name} = ${String(optionDefinitions[name as keyof typeof optionDefinitions].defaultValue)}`,
    );
    const full = withConf(`[DEFAULT]\n${lines.join('\n')}\n`);
    expect(readConfig({ env: {}, cwd }).warnings).toEqual([]);
    expect(readConfig({ env: {}, cwd: full.cwd }).warnings).toEqual([]);
  });
});
