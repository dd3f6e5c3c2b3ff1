export * from './decider';
export * from './errors';
export * from './stream-ids';
export * from './volume/volume.events';
export * from './volume/volume.commands';
export * from './volume/volume.state';
export * from './volume/volume.decider';
export { VolumeMetadataNotFound } from './volume/decide-volume-metadata';
export * from './volume/decide-volume-sources';
export * from './snapshot/snapshot.events';
export * from './snapshot/snapshot.commands';
export * from './snapshot/snapshot.state';
export * from './snapshot/snapshot.decider';
export * from './backup/backup.events';
export * from './backup/backup.commands';
export * from './backup/backup.state';
export * from './backup/backup.decider';
export * from './strata-event';
export { UNKNOWN_VOLUME_ID } from './backup/decide-import-export';
export * from './volume-type/volume-type.events';
export * from './volume-type/volume-type.commands';
export * from './volume-type/volume-type.state';
export * from './volume-type/volume-type.errors';
export * from './volume-type/volume-type.decider';
export * from './volume-type/default-volume-type';
export * from './volume-type/volume-type-for-volume';
export * from './message/message-fields';
export * from './message/failure-message';
export * from './message/user-message.events';
export * from './message/user-message.decider';
export * from './lease/job-lease.events';
export * from './lease/job-lease.commands';
export * from './lease/job-lease.state';
export * from './lease/job-lease.errors';
export * from './lease/job-lease.decider';
export * from './service/service.events';
export * from './service/service.commands';
export * from './service/service.state';
export * from './service/service.errors';
export * from './service/service.decider';
export * from './service/service-liveness';
export * from './history/catalog-import.events';
export * from './limits';
export * from './persistent-map';
export * from './notification/usage-notifications';
export * from './notification/notifier-checkpoint';
export * from './notification/notifier-checkpoint.events';
export { osloTimestamp, pythonIsoformat } from './notification/python-format';
export * from './quota/quota.events';
export * from './quota/quota.commands';
export * from './quota/quota.state';
export * from './quota/quota.errors';
export * from './quota/quota.decider';
export { EVENT_SCHEMAS, eventViolation, MAX_EVENT_DATA_JSON_BYTES, MAX_EVENT_TYPE_LENGTH, type EventSchema } from './schema/event-schemas';
export { JSON_UNIT_BYTES, type SchemaViolation } from './schema/schema';
export {
  decodeImportEvent,
  decodeLeaseEvent,
  decodeNotifierEvent,
  decodeStrataEvent,
  eventOfType,
  firstEventOfType,
  metaOf,
  type Decoded,
  type StoredEvent,
} from './decode-event';
