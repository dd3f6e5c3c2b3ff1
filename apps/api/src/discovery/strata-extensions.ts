/** One entry of Cinder's extensions document (cinder/api/extensions.py `ExtensionsResource._translate`). */
export interface CinderExtension {
  readonly name: string;
  readonly alias: string;
  /** The extension class's docstring, as Cinder shows it. */
  readonly description: string;
  readonly updated: string;
  readonly links: readonly never[];
}

const extension = (name: string, alias: string, description: string, updated: string): CinderExtension => ({
  name,
  alias,
  description,
  updated,
  links: [],
});

/**
 * The extensions of cinder/api/contrib that Strata serves, with Cinder's names, aliases, descriptions and
 * dates, in the order of Cinder's modules. An extension is listed only when Strata answers what it adds;
 * left out: quotas, hosts, scheduler hints (an empty set is all Strata
 * takes), QoS, transfers, consistency groups, image metadata, encryption metadata and snapshot
 * manage/actions.
 */
export const STRATA_EXTENSIONS: readonly CinderExtension[] = [
  // os-reset_status and os-force_delete on backups.
  extension('AdminActions', 'os-admin-actions', 'Enable admin actions.', '2012-08-25T00:00:00+00:00'),
  // GET /os-availability-zone, from the zones of the volume services.
  extension('AvailabilityZones', 'os-availability-zone', 'Describe Availability Zones.', '2013-06-27T00:00:00+00:00'),
  extension('Backups', 'backups', 'Backups support.', '2012-12-12T00:00:00+00:00'),
  // disabled_reason in the services list and PUT /os-services/disable-log-reason.
  extension('ExtendedServices', 'os-extended-services', 'Extended services support.', '2014-01-10T00:00:00-00:00'),
  // os-extended-snapshot-attributes:project_id and :progress in the snapshot views, for every reader.
  extension(
    'ExtendedSnapshotAttributes',
    'os-extended-snapshot-attributes',
    'Extended SnapshotAttributes support.',
    '2012-06-19T00:00:00+00:00',
  ),
  // GET /scheduler-stats/get_pools.
  extension('Scheduler_stats', 'scheduler-stats', 'Scheduler stats support.', '2014-09-07T00:00:00+00:00'),
  // GET /os-services, PUT /os-services/{enable,disable,disable-log-reason}.
  extension('Services', 'os-services', 'Services support.', '2012-10-28T00:00:00-00:00'),
  // The types' extra specs and their management (their encryption and access lists below).
  extension('TypesExtraSpecs', 'os-types-extra-specs', 'Type extra specs support.', '2011-08-24T00:00:00+00:00'),
  extension('TypesManage', 'os-types-manage', 'Types manage support.', '2011-08-24T00:00:00+00:00'),
  // os-attach, os-detach, os-reserve, os-unreserve, os-begin_detaching, os-roll_detaching, os-extend,
  // os-update_readonly_flag, os-set_bootable.
  extension('VolumeActions', 'os-volume-actions', 'Enable volume actions.', '2012-05-31T00:00:00+00:00'),
  // os-vol-host-attr:host in the volume views, for admins.
  extension('VolumeHostAttribute', 'os-vol-host-attr', 'Expose host as an attribute of a volume.', '2011-11-03T00:00:00+00:00'),
  extension('VolumeManage', 'os-volume-manage', "Allows existing backend storage to be 'managed' by Cinder.", '2014-02-10T00:00:00+00:00'),
  // os-vol-mig-status-attr:migstat and :name_id in the volume views, for admins.
  extension(
    'VolumeMigStatusAttribute',
    'os-vol-mig-status-attr',
    'Expose migration_status as an attribute of a volume.',
    '2013-08-08T00:00:00+00:00',
  ),
  // os-vol-tenant-attr:tenant_id in the volume views, for every reader.
  extension(
    'VolumeTenantAttribute',
    'os-vol-tenant-attr',
    'Expose the internal project_id as an attribute of a volume.',
    '2011-11-03T00:00:00+00:00',
  ),
  extension('VolumeTypeAccess', 'os-volume-type-access', 'Volume type access support.', '2014-06-26T00:00:00Z'),
  extension('VolumeTypeEncryption', 'encryption', 'Encryption support for volume types.', '2013-07-01T00:00:00+00:00'),
  extension('VolumeUnmanage', 'os-volume-unmanage', 'Enable volume unmanage operation.', '2012-05-31T00:00:00+00:00'),
];
