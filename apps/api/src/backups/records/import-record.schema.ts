import { envelope, onlyKeys, optionalString, requiredKey } from '../../validation/body-schema';
import { HttpFault } from '../../errors/cinder-fault';

/** `{"backup-record": {"backup_service": "<≤255>", "backup_url": "<base64, at least 1>"}}`, both required. */
export const parseImportRecord = (body: unknown): { backupService: string; backupUrl: string } => {
  onlyKeys(typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {}, ['backup-record']);
  const r = envelope(body, 'backup-record');
  onlyKeys(r, ['backup_service', 'backup_url']);
  requiredKey(r, 'backup_service');
  requiredKey(r, 'backup_url');
  const backupService = optionalString(r, 'backup_service');
  const backupUrl = optionalString(r, 'backup_url', { maxLength: Number.MAX_SAFE_INTEGER });
  if (typeof backupService !== 'string')
    throw HttpFault.badRequest(`Invalid input for field/attribute backup_service. Value: None. None is not of type 'string'`);
  if (typeof backupUrl !== 'string')
    throw HttpFault.badRequest(`Invalid input for field/attribute backup_url. Value: None. None is not of type 'string'`);
  if (backupUrl.length === 0) throw HttpFault.badRequest(`Invalid input for field/attribute backup_url. Value: . '' is too short`);
  return { backupService, backupUrl };
};
