import { AUDIT_VERBS } from './audit.verbs';
import { BACKUP_VERBS } from './backup.verbs';
import { CATALOG_VERBS } from './catalog.verbs';
import { type Verbs } from './verb-kit';
import { VOLUME_VERBS } from './volume.verbs';
import { SNAPSHOT_VERBS } from './snapshot.verbs';

export type { VerbContext } from './verb-kit';

/** Every `strata <noun> <verb>`; each noun's verbs live in their own module. */
export const VERBS: Verbs = {
  ...VOLUME_VERBS,
  ...BACKUP_VERBS,
  ...SNAPSHOT_VERBS,
  ...CATALOG_VERBS,
  ...AUDIT_VERBS,
};
