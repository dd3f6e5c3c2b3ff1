import { atLeast, type Microversion } from '../context/microversion';
import type { PolicyRule } from '../context/policy';
import type { Dto } from '../validation/cinder-body';
import { validateBody } from '../validation/cinder-body';
import { cinderBoolean } from '../validation/request-values';
import type { VolumeChange } from './commands/change-volume.handler';
import {
  VOLUME_BEGIN_DETACHING_BODY,
  VOLUME_EXTEND_BODY,
  VOLUME_READONLY_UPDATE_BODY,
  VOLUME_RESERVE_BODY,
  VOLUME_ROLL_DETACHING_BODY,
  VOLUME_SET_BOOTABLE_BODY,
  VOLUME_UNRESERVE_BODY,
} from './volume-action-requests.dto';

export interface VolumeActionRequest {
  readonly volumeId: string;
  readonly now: string;
  readonly microversion: Microversion;
}

/** One `POST …/volumes/{id}/action` key: who may, what status Cinder answers, and the body as a command. */
export interface VolumeAction {
  readonly policy: PolicyRule;
  /** Cinder answers os-set_bootable with 200, the other actions with 202. */
  readonly status: 200 | 202;
  /** Validates the body (Cinder's schema) and builds the change it asks for. */
  change(body: unknown, request: VolumeActionRequest): Promise<VolumeChange>;
}

type StatusOnly = 'ReserveVolume' | 'UnreserveVolume' | 'BeginVolumeDetaching' | 'RollVolumeDetaching';

/** An action with no parameters that only moves the volume's status (cinder/api/contrib/volume_actions.py). */
const statusOnly = (policy: PolicyRule, body: Dto, type: StatusOnly): VolumeAction => ({
  policy,
  status: 202,
  async change(raw, { volumeId, now }) {
    await validateBody(body, raw);
    return { type, data: { volumeId, now } };
  },
});

/** The volume actions beyond os-attach, os-detach and os-unmanage, by action key. */
const VOLUME_ACTIONS: Readonly<Record<string, VolumeAction>> = {
  'os-extend': {
    // Cinder checks volume:extend_attached_volume instead for an in-use volume from 3.42; both default to members.
    policy: 'volume:extend',
    status: 202,
    async change(raw, { volumeId, now, microversion }) {
      const { 'os-extend': extend } = await validateBody(VOLUME_EXTEND_BODY, raw);
      return {
        type: 'ExtendVolume',
        data: { volumeId, newSizeGb: Number(extend.new_size), inUseAllowed: atLeast(microversion, '3.42'), now },
      };
    },
  },
  'os-set_bootable': {
    // Cinder's set_bootable is its plain volume update.
    policy: 'volume:update',
    status: 200,
    async change(raw, { volumeId, now }) {
      const { 'os-set_bootable': set } = await validateBody(VOLUME_SET_BOOTABLE_BODY, raw);
      return { type: 'SetVolumeBootable', data: { volumeId, bootable: cinderBoolean(set.bootable)!, now } };
    },
  },
  'os-update_readonly_flag': {
    policy: 'volume:update_readonly_flag',
    status: 202,
    async change(raw, { volumeId, now }) {
      const { 'os-update_readonly_flag': update } = await validateBody(VOLUME_READONLY_UPDATE_BODY, raw);
      return { type: 'UpdateVolumeReadonlyFlag', data: { volumeId, readonly: cinderBoolean(update.readonly)!, now } };
    },
  },
  'os-reserve': statusOnly('volume_extension:volume_actions:reserve', VOLUME_RESERVE_BODY, 'ReserveVolume'),
  'os-unreserve': statusOnly('volume_extension:volume_actions:unreserve', VOLUME_UNRESERVE_BODY, 'UnreserveVolume'),
  'os-begin_detaching': statusOnly('volume_extension:volume_actions:begin_detaching', VOLUME_BEGIN_DETACHING_BODY, 'BeginVolumeDetaching'),
  'os-roll_detaching': statusOnly('volume_extension:volume_actions:roll_detaching', VOLUME_ROLL_DETACHING_BODY, 'RollVolumeDetaching'),
};

export const volumeActionOf = (action: string): VolumeAction | undefined =>
  Object.prototype.hasOwnProperty.call(VOLUME_ACTIONS, action) ? VOLUME_ACTIONS[action] : undefined;
