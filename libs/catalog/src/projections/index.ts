import { auditProjection } from './audit.projection';
import { backupChildrenProjection } from './backup-children.projection';
import { backupsProjection } from './backups.projection';
import { catalogImportsProjection } from './catalog-imports.projection';
import { jobsProjection } from './jobs.projection';
import { operationTotalsProjection } from './operation-totals.projection';
import { messagesProjection } from './messages.projection';
import type { Projection } from './projection';
import { servicesProjection } from './services.projection';
import { quotasProjection } from './quotas.projection';
import { snapshotsProjection } from './snapshots.projection';
import { volumesProjection } from './volumes.projection';
import { volumeTypesProjection } from './volume-types.projection';

/** Every read model, in the order the runner applies them to each event. */
export const CATALOG_PROJECTIONS: readonly Projection[] = [
  backupsProjection,
  backupChildrenProjection,
  volumesProjection,
  snapshotsProjection,
  jobsProjection,
  auditProjection,
  operationTotalsProjection,
  volumeTypesProjection,
  messagesProjection,
  servicesProjection,
  quotasProjection,
  catalogImportsProjection,
];

export {
  auditProjection,
  backupChildrenProjection,
  backupsProjection,
  catalogImportsProjection,
  jobsProjection,
  messagesProjection,
  operationTotalsProjection,
  quotasProjection,
  snapshotsProjection,
  volumesProjection,
  volumeTypesProjection,
  servicesProjection,
};
