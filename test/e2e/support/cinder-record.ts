import { execFile } from 'node:child_process';
import { join } from 'node:path';

const SYSTEM_PYTHON = '/usr/bin/python3';
const SCRIPT = join(__dirname, 'cinder_record.py');

/** Runs Cinder's own Backup.encode_record (python3-cinder) on the request; see cinder_record.py. */
const run = (request: unknown): Promise<string[]> =>
  new Promise((resolve, reject) => {
    const child = execFile(SYSTEM_PYTHON, [SCRIPT], { timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`cinder_record.py: ${error.message}\n${stderr}`));
      resolve((JSON.parse(stdout) as { urls: string[] }).urls);
    });
    child.stdin?.end(JSON.stringify(request));
  });

/** Export records as Cinder would write them for these catalog rows. */
export const cinderEncodeRecords = (rows: readonly Record<string, unknown>[]) => run({ encode: rows });
/** Each record decoded by Cinder into a Backup object and encoded again: equal to the input when Strata wrote it exactly. */
export const cinderReencodeRecords = (urls: readonly string[]) => run({ reencode: urls });
