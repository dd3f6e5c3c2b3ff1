export type { VolumeLocation } from './volume-location';
export type { VolumeProvider, VolumeCopyOptions } from './volume-provider.port';
export { GIB_BYTES, bytesOfGb, sizeGbOf } from './volume-size';
export {
  VolumeError,
  InvalidManagedVolume,
  InvalidVolumeSize,
  InvalidVolumeId,
  VolumeAlreadyExists,
  ForeignVolumeLocation,
  VolumeCopyFailed,
  VolumeNotExtendable,
  VolumeCopyCancelled,
} from './errors';
export { streamingCopy, COPY_CHECKPOINT_BYTES, type StreamingCopyArgs } from './copy/streaming-copy';
export { FileVolumeProvider, type FileVolumeProviderOptions } from './file/file-volume.provider';
export { inspectManagedVolume, type InspectManagedVolumeOptions } from './managed/inspect-managed-volume';
export { managedVolumePathFromRef } from './managed/managed-volume-ref';
export { managedPathRefusal, type ManagedPathPolicy, type ManagedPathFacts } from './managed/managed-path-policy';
export { ManagedVolumeRefusals } from './managed/managed-volume-refusals';
export { splitDeviceNumber, type DeviceNumber } from './block/device-number';
export { blockDeviceIsReadOnly, blockDeviceSizeBytes } from './block/block-device-sysfs';
