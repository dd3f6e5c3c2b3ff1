export * from './backup-creation';
export * from './restore-request';
export * from './state-of';
export * from './step-recorder';
export {
  readNotifierCheckpoint,
  notificationBacklog,
  isNotifierBookkeeping,
  NOTIFICATION_BACKLOG_COUNT_LIMIT,
  type NotifierCheckpointRead,
} from './notifier-backlog';
export * from './services/service-reporter';
export * from './quota-claim';
export * from './creation-claims';
