import type { BackupRepository } from './repository.port';

/** Cinder's delete: list the container by prefix and delete every entry. Returns how many were deleted. */
export const deleteByPrefix = async (repository: BackupRepository, container: string, prefix: string): Promise<number> => {
  const names: string[] = [];
  for await (const name of repository.list(container, prefix)) names.push(name);
  for (const name of names) await repository.deleteObject(container, name);
  return names.length;
};
