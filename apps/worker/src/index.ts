export { WorkerModule, JOB_DISPATCHER } from './worker.module';
export { JobDispatcher } from './job-dispatcher';
export { planJob, JOB_TRIGGERS, type JobPlan } from './job-plan';
