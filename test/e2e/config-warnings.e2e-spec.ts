import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { managedDirOf } from './support/strata-app';
import { startStrataProcess, startWorkerProcess, type ChildUnderTest } from './support/strata-processes';

/**
 * Every option honoured or reported, as the processes start: a strata.conf with a typo and a Cinder
 * option Strata does not implement starts (a warning is not an error), and both the api process and a
 * worker process log each warning with the file and line it came from. `config-report.spec.ts` holds
 * what the warnings say; this holds that a running service says it.
 */
describe('start-up warnings for options Strata does not honour', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'strata-config-warnings-'));
  const conf = join(stateDir, 'strata.conf');
  const children: ChildUnderTest[] = [];

  beforeAll(() => {
    writeFileSync(conf, '[DEFAULT]\nbackup_max_operation = 1\nbackup_native_threads_pool_size = 60\n');
  });
  afterAll(async () => {
    for (const child of children) await child.stop();
    rmSync(stateDir, { recursive: true, force: true });
    rmSync(managedDirOf(stateDir), { recursive: true, force: true });
  });

  const env = () => ({ STRATA_CONFIG: conf, STRATA_STATE_PATH: stateDir, STRATA_MANAGED_VOLUME_PATHS: managedDirOf(stateDir) });
  const expectWarnings = async (child: ChildUnderTest) => {
    await child.printed(`${conf}:2: unknown option backup_max_operation; it is ignored (did you mean backup_max_operations?)`);
    await child.printed(`${conf}:3: backup_native_threads_pool_size is a Cinder option that Strata does not implement`);
  };

  it('the api process starts and logs each warning with its file and line', async () => {
    const { process: strata, client } = await startStrataProcess('strata', env());
    children.push(strata);
    await expectWarnings(strata);
    expect((await client.get('/healthz')).status).toBe(200);
  }, 120_000);

  it('a worker process logs them too', async () => {
    const worker = await startWorkerProcess('worker', { ...env(), STRATA_WORKER_ID: 'warned-worker' });
    children.push(worker);
    await expectWarnings(worker);
  }, 120_000);
});
