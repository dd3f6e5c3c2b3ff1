/**
 * Where a volume or snapshot's bytes live. Consumers (the backup and restore jobs) open `path`
 * directly, so a location is all they need; nothing else about the provider leaks out.
 */
export interface VolumeLocation {
  /** `file`: a regular (usually sparse) image file; `block`: a block device node. */
  readonly kind: 'file' | 'block';
  /** Absolute path to the image file or device node. */
  readonly path: string;
  /** Exact size in bytes; for a block device, as the kernel reports it in sysfs. */
  readonly sizeBytes: number;
  /**
   * Whether Strata created these bytes. A managed volume (Cinder's manage API) is not owned:
   * deleting it only forgets it, so the operator's device or file is never destroyed.
   */
  readonly owned: boolean;
}
