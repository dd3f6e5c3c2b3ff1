import { InvalidInput } from '../errors';
import { typeRefusalForNewVolume, type TypeOfNewVolume } from './volume-type-for-volume';
import { DEFAULT_VOLUME_TYPE_ID, volumeTypeIdOf } from './default-volume-type';

const type = (extraSpecs: TypeOfNewVolume['extraSpecs'] = {}, encrypted = false): TypeOfNewVolume => ({
  name: 'gold',
  extraSpecs,
  encrypted,
});
const volume = (sizeGb: number | null, encryptionKeyId: string | null = null) => ({ sizeGb, encryptionKeyId });

describe('typeRefusalForNewVolume', () => {
  it('admits a volume of a plain type', () => expect(typeRefusalForNewVolume(type(), volume(1))).toBeNull());

  it("refuses a size outside the type's provisioning limits, in Cinder's words", () => {
    const limited = type({ 'provisioning:min_vol_size': '5', 'provisioning:max_vol_size': '10' });
    expect(typeRefusalForNewVolume(limited, volume(4))).toEqual(
      new InvalidInput(
        "Invalid input received: Specified volume size of '4' is less than the minimum required size of '5' for volume type 'gold'.",
      ),
    );
    expect(typeRefusalForNewVolume(limited, volume(11))?.message).toBe(
      "Invalid input received: Specified volume size of '11' is greater than the maximum allowable size of '10' for volume type 'gold'.",
    );
    expect(typeRefusalForNewVolume(limited, volume(5))).toBeNull();
  });

  it('leaves the size of a managed volume, unknown yet, to its inspection', () =>
    expect(typeRefusalForNewVolume(type({ 'provisioning:min_vol_size': '5' }), volume(null))).toBeNull());

  it('refuses a multiattach type, which Strata cannot honour', () =>
    expect(typeRefusalForNewVolume(type({ multiattach: '<is> True' }), volume(1))?.message).toContain('multiattach'));

  it("refuses an encrypted type without the volume's key, and admits it with one", () => {
    expect(typeRefusalForNewVolume(type({}, true), volume(1))?.message).toBe(
      "Invalid input received: Volume type 'gold' is encrypted and Strata creates no encryption keys; give the volume's key as encryption_key_id.",
    );
    expect(typeRefusalForNewVolume(type({}, true), volume(1, 'a0000000-0000-4000-8000-000000000009'))).toBeNull();
  });
});

describe('volumeTypeIdOf', () => {
  const data = {
    volumeId: 'v',
    projectId: 'p',
    userId: 'u',
    name: null,
    description: null,
    sizeGb: 1,
    availabilityZone: 'nova',
    encryptionKeyId: null,
    metadata: {},
    source: { kind: 'blank' as const },
    createdAt: '2026-12-01T10:00:00.000Z',
  };
  it('reads the type a volume records', () =>
    expect(volumeTypeIdOf({ ...data, volumeType: 'gold', volumeTypeId: 'e0000000-0000-4000-8000-000000000001' })).toBe(
      'e0000000-0000-4000-8000-000000000001',
    ));
  it('reads an untyped volume from before volume types as __DEFAULT__', () =>
    expect(volumeTypeIdOf({ ...data, volumeType: null })).toBe(DEFAULT_VOLUME_TYPE_ID));
  it('links a name given before volume types to no type', () => expect(volumeTypeIdOf({ ...data, volumeType: 'fast' })).toBeNull());
});
