import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PosixRepository } from '@strata/chunked-driver';
import { repositoryContract } from '@strata/chunked-driver/testing/repository.contract';

repositoryContract(
  'posix (temp directory)',
  async () => {
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'strata-posix-contract-'));
    return { repository: new PosixRepository(dir), cleanup: () => fsp.rm(dir, { recursive: true, force: true }) };
  },
  { byteReader: true },
);
