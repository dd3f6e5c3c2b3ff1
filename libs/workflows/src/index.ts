export * from './backup-creation';
export * from './restore-request';
export * from './state-of';
export * from './step-recorder';
export * from './quota-claim';
export * from './creation-claims';
