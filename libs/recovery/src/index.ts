export { recoverRepository, RepositoryNotConfigured, type RecoveryReport, type RecoveryRequest } from './recover-repository';
