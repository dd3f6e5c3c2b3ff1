import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { CATALOG, type Catalog } from '@strata/catalog';
import { STRATA_OPTIONS, type StrataOptions } from '@strata/config';
import {
  DEFAULT_VOLUME_TYPE_DESCRIPTION,
  DEFAULT_VOLUME_TYPE_ID,
  DEFAULT_VOLUME_TYPE_NAME,
  volumeTypeDecider,
  VolumeTypeExists,
  volumeTypeStreamId,
  type EventMeta,
} from '@strata/domain';
import { decideAndAppend, EVENT_STORE, type EventStore } from '@strata/event-store';
import { CLOCK, type Clock } from '../../tokens';
import { ALL_TYPES } from '../volume-type-lookup';

/** Whose event it is: Strata's own, at start-up, for no request. */
const STARTUP_META: EventMeta = {
  correlationId: 'strata-startup',
  causationId: 'strata-startup',
  userId: 'strata',
  projectId: 'strata',
  requestId: 'strata-startup',
};

/** Makes the idempotent command a fixed event id: a second start, or a second api process, records nothing. */
export const DEFAULT_VOLUME_TYPE_KEY = `volume-type-${DEFAULT_VOLUME_TYPE_ID}-created`;

/**
 * Records Cinder's `__DEFAULT__` type (Cinder's first database migration creates it) the first time an api
 * starts on a log, with a fixed id and event id, so it is in the log: a rebuild replays it, an export of
 * the whole catalog carries it and its import into another Strata finds the same event already there.
 * Once recorded it is never recorded again, even after an admin renamed or deleted it.
 *
 * Then it warns when `default_volume_type` names no type, which Cinder also only finds out when a volume
 * needs it (the type may be created through the API after the start).
 */
export const ensureDefaultVolumeType = async (store: EventStore, catalog: Catalog, now: string): Promise<bigint> => {
  const appended = await decideAndAppend(
    store,
    volumeTypeStreamId(DEFAULT_VOLUME_TYPE_ID),
    volumeTypeDecider,
    {
      type: 'CreateVolumeType',
      data: {
        volumeTypeId: DEFAULT_VOLUME_TYPE_ID,
        name: DEFAULT_VOLUME_TYPE_NAME,
        description: DEFAULT_VOLUME_TYPE_DESCRIPTION,
        isPublic: true,
        extraSpecs: {},
        nameTakenBy: catalog.volumeTypeByName(DEFAULT_VOLUME_TYPE_NAME, ALL_TYPES)?.id ?? null,
        now,
      },
    },
    STARTUP_META,
    { idempotencyKey: DEFAULT_VOLUME_TYPE_KEY },
  );
  return appended.position;
};

@Injectable()
export class DefaultVolumeType implements OnApplicationBootstrap {
  private readonly logger = new Logger('VolumeTypes');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CATALOG) private readonly catalog: Catalog,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(STRATA_OPTIONS) private readonly options: StrataOptions,
  ) {}

  /** After the catalog module's own start-up (it is imported, so its hook runs first): the catalog is caught up. */
  async onApplicationBootstrap(): Promise<void> {
    try {
      await this.catalog.waitForPosition(await ensureDefaultVolumeType(this.store, this.catalog, this.clock.now().toISOString()));
    } catch (error) {
      // Another type took the name first (a catalog file imported before this Strata ever started): keep it.
      if (!(error instanceof VolumeTypeExists)) throw error;
      this.logger.warn(`${DEFAULT_VOLUME_TYPE_NAME} was not recorded: ${error.message}`);
    }
    const name = this.options.default_volume_type;
    if (!this.catalog.volumeTypeByName(name, ALL_TYPES))
      this.logger.warn(
        `default_volume_type ${name} names no volume type: creating a volume without a type fails until an admin creates it`,
      );
  }
}
