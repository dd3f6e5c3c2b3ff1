/** Every object and container name the driver uses comes from here (pure: the time is a parameter). */

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Cinder's `%Y%m%d%H%M%S` in UTC. */
export const prefixTimestamp = (at: Date): string =>
  `${pad(at.getUTCFullYear(), 4)}${pad(at.getUTCMonth() + 1)}${pad(at.getUTCDate())}` +
  `${pad(at.getUTCHours())}${pad(at.getUTCMinutes())}${pad(at.getUTCSeconds())}`;

export interface PrefixParts {
  readonly volumeId: string;
  readonly backupId: string;
  readonly at: Date;
}

/** posix / nfs / glusterfs: one flat name. */
export const posixObjectPrefix = ({ volumeId, backupId, at }: PrefixParts): string =>
  `volume_${volumeId}_${prefixTimestamp(at)}_backup_${backupId}`;

/** swift / s3 / gcs: pseudo-directories. */
export const objectStorePrefix = ({
  volumeId,
  backupId,
  at,
  availabilityZone,
}: PrefixParts & { readonly availabilityZone: string }): string =>
  `volume_${volumeId}/${prefixTimestamp(at)}/az_${availabilityZone}_backup_${backupId}`;

export type PrefixStyle = 'posix' | 'object-store';

export const objectPrefix = (style: PrefixStyle, parts: PrefixParts & { readonly availabilityZone?: string }): string =>
  style === 'posix' ? posixObjectPrefix(parts) : objectStorePrefix({ ...parts, availabilityZone: parts.availabilityZone ?? 'nova' });

/** The posix container when the user gave none: `<id[0:2]>/<id[2:4]>/<id>`. */
export const defaultPosixContainer = (backupId: string): string => `${backupId.slice(0, 2)}/${backupId.slice(2, 4)}/${backupId}`;

/** `<prefix>-00001`, …, growing past five digits after 99999. */
export const dataObjectName = (prefix: string, index: number): string => `${prefix}-${pad(index, 5)}`;
export const metadataObjectName = (prefix: string): string => `${prefix}_metadata`;
export const sha256ObjectName = (prefix: string): string => `${prefix}_sha256file`;

/** The 1-based index of a data object of this prefix, or null for any other name. */
export const dataObjectIndex = (prefix: string, name: string): number | null => {
  if (!name.startsWith(`${prefix}-`)) return null;
  const digits = name.slice(prefix.length + 1);
  return /^\d{5,}$/.test(digits) ? Number(digits) : null;
};
