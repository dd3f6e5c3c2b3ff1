import { AUDIT_VERBS } from './audit.verbs';
import { BACKUP_VERBS } from './backup.verbs';
import { RECORD_VERBS } from './record.verbs';
import { RECOVERY_VERBS } from './recovery.verbs';
import { CATALOG_VERBS } from './catalog.verbs';
import { CONFIG_VERBS } from './config.verbs';
import { type Verbs } from './verb-kit';
import { VERIFY_VERBS } from './verify.verbs';
import { VOLUME_VERBS } from './volume.verbs';
import { SNAPSHOT_VERBS } from './snapshot.verbs';

export type { VerbContext } from './verb-kit';

/** Every `strata <noun> <verb>`; each noun's verbs live in their own module. */
export const VERBS: Verbs = {
  ...VOLUME_VERBS,
  ...BACKUP_VERBS,
  ...RECORD_VERBS,
  ...VERIFY_VERBS,
  ...RECOVERY_VERBS,
  ...SNAPSHOT_VERBS,
  ...CATALOG_VERBS,
  ...AUDIT_VERBS,
  ...CONFIG_VERBS,
};
