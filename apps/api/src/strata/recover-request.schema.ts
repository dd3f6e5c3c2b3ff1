import { HttpFault } from '../errors/cinder-fault';
import { onlyKeys, optionalString, type Body } from '../validation/body-schema';

/**
 * `{"repository": {"driver": "posix", "path": "/srv/backup"}, "project_id": "p"}`, every part optional:
 * no repository means the configured one, no project the caller's.
 */
export const parseRecoverRequest = (body: unknown): { path: string | null; projectId: string | null } => {
  if (body === undefined || body === null || (typeof body === 'object' && Object.keys(body).length === 0)) return { path: null, projectId: null };
  if (typeof body !== 'object' || Array.isArray(body)) throw HttpFault.badRequest(`${JSON.stringify(body)} is not of type 'object'`);
  const b = body as Body;
  onlyKeys(b, ['repository', 'project_id']);
  const projectId = optionalString(b, 'project_id') ?? null;
  const repository = b.repository;
  if (repository === undefined || repository === null) return { path: null, projectId };
  if (typeof repository !== 'object' || Array.isArray(repository)) throw HttpFault.badRequest("Invalid input for field/attribute repository: not of type 'object'");
  const r = repository as Body;
  onlyKeys(r, ['driver', 'path']);
  const driver = optionalString(r, 'driver') ?? 'posix';
  if (driver !== 'posix') throw HttpFault.badRequest(`Invalid input for field/attribute repository.driver: '${driver}' is not one of ['posix']`);
  const path = optionalString(r, 'path', { maxLength: 4096 }) ?? null;
  return { path, projectId };
};
