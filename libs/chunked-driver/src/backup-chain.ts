import { type BackupLocation, checkObjectList, readBackupMetadata, readSha256File } from './backup-files';
import { InvalidDriverOptions } from './errors';
import type { BackupMetadata, WrittenObject } from './metadata-file';
import type { BackupRepository } from './repository.port';
import type { Sha256File } from './sha256-file';

export interface ChainMember extends BackupLocation {
  readonly metadata: BackupMetadata;
}

export interface LoadedChain {
  readonly members: readonly ChainMember[];
  /** The `_sha256file` of the requested (last) backup. */
  readonly sha: Sha256File;
  /** Bytes of volume the chain covers: the furthest end of any object. */
  readonly regionBytes: number;
  readonly totalObjectBytes: number;
}

/** Reads every `_metadata` (full first), runs Cinder's object-list check on each, and the requested sha file. */
export const loadChain = async (repository: BackupRepository, chain: readonly BackupLocation[]): Promise<LoadedChain> => {
  if (chain.length === 0) throw new InvalidDriverOptions('a restore chain needs at least the full backup');
  const members: ChainMember[] = [];
  for (const at of chain) {
    const from = at.repository ?? repository;
    const metadata = await readBackupMetadata(from, at.container, at.prefix);
    await checkObjectList(from, at, metadata);
    members.push({ container: at.container, prefix: at.prefix, repository: at.repository, metadata });
  }
  const requested = chain[chain.length - 1] as BackupLocation;
  const sha = await readSha256File(requested.repository ?? repository, requested.container, requested.prefix);
  const all: WrittenObject[] = members.flatMap((m) => [...m.metadata.objects]);
  return {
    members,
    sha,
    regionBytes: all.reduce((end, o) => Math.max(end, o.offsetBytes + o.lengthBytes), 0),
    totalObjectBytes: all.reduce((sum, o) => sum + o.lengthBytes, 0),
  };
};
