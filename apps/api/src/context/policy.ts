import { HttpFault } from '../errors/cinder-fault';
import type { RequestContext } from './request-context';
import { VOLUME_TYPE_RULES } from '../volume-types/volume-type.policies';

/**
 * Cinder's default policies (cinder/policies/backups.py, backup_actions.py): `reader` and `member`
 * rules are project-scoped (the scope is applied by the queries), `admin_api` needs the admin role.
 */
const RULES = {
  'backup:get_all': 'reader',
  'backup:get': 'reader',
  'backup:create': 'member',
  'backup:update': 'member',
  'backup:delete': 'member',
  'backup:restore': 'member',
  'backup:backup-import': 'admin',
  'backup:export-import': 'admin',
  'volume_extension:backup_admin_actions:reset_status': 'admin',
  'volume_extension:backup_admin_actions:force_delete': 'admin',
  'volume:get': 'reader',
  'volume:get_all': 'reader',
  'volume:create': 'member',
  'volume:update': 'member',
  'volume:delete': 'member',
  'volume_extension:volume_actions:attach': 'member',
  'volume_extension:volume_actions:detach': 'member',
  'volume_extension:volume_actions:reserve': 'member',
  'volume_extension:volume_actions:unreserve': 'member',
  'volume_extension:volume_actions:begin_detaching': 'member',
  'volume_extension:volume_actions:roll_detaching': 'member',
  'volume:extend': 'member',
  'volume:update_readonly_flag': 'member',
  'volume_extension:volume_manage': 'admin',
  'volume_extension:volume_unmanage': 'admin',
  'volume:get_volume_metadata': 'reader',
  'volume:create_volume_metadata': 'member',
  'volume:update_volume_metadata': 'member',
  'volume:delete_volume_metadata': 'member',
  'volume:get_snapshot': 'reader',
  'volume:get_all_snapshots': 'reader',
  'volume:create_snapshot': 'member',
  'volume:delete_snapshot': 'member',
  'message:get_all': 'reader',
  'message:get': 'reader',
  'message:delete': 'member',
  'volume_extension:services:index': 'admin',
  'volume_extension:services:update': 'admin',
  'scheduler_extension:scheduler_stats:get_pools': 'admin',
  'volume_extension:quotas:show': 'reader',
  'volume_extension:quotas:update': 'admin',
  'volume_extension:quotas:delete': 'admin',
  'volume_extension:quota_classes:get': 'admin',
  'volume_extension:quota_classes:update': 'admin',
  'limits_extension:used_limits': 'reader',
  'strata:audit': 'admin',
  'strata:verify': 'admin',
  'strata:recover': 'admin',
  'strata:catalog_export': 'admin',
  'strata:catalog_import': 'admin',
  'strata:catalog_rebuild': 'admin',
  'strata:catalog_failures': 'admin',
  ...VOLUME_TYPE_RULES,
} as const;

export type PolicyRule = keyof typeof RULES;

export const isAllowed = (ctx: RequestContext, rule: PolicyRule): boolean => {
  const needed = RULES[rule];
  if (ctx.isAdmin) return true;
  if (needed === 'admin') return false;
  if (needed === 'member') return ctx.roles.includes('member');
  return ctx.roles.includes('reader') || ctx.roles.includes('member');
};

export const authorize = (ctx: RequestContext, rule: PolicyRule): void => {
  if (!isAllowed(ctx, rule)) throw HttpFault.forbidden(rule);
};
