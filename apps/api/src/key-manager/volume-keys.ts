import { Inject, Injectable } from '@nestjs/common';
import { CATALOG, type Catalog } from '@strata/catalog';
import { callerTokenOf } from '../context/caller-token';
import type { RequestContext } from '../context/request-context';
import { HttpFault } from '../errors/cinder-fault';
import type { JsonLogger } from '../logging/json-logger';
import { JSON_LOGGER } from '../tokens';
import { KEY_MANAGER, KeyManagerError, type KeyManager } from './key-manager';

/**
 * Cinder's key handling for encrypted volumes and their backups, with the caller's token (Cinder's
 * volume_utils.create/clone/delete_encryption_key): a new volume of an encrypted type gets a new key; a
 * backup gets a clone of its volume's key; a volume restored from a backup gets a clone of the backup's;
 * a deleted backup's key is deleted. Without a key manager (`[key_manager] backend` unset) keys are the
 * client's: ids are kept as given and nothing is made, cloned or deleted.
 */
@Injectable()
export class VolumeKeys {
  constructor(
    @Inject(KEY_MANAGER) private readonly keys: KeyManager | null,
    @Inject(CATALOG) private readonly catalog: Catalog,
    @Inject(JSON_LOGGER) private readonly logger: JsonLogger,
  ) {}

  get enabled(): boolean {
    return this.keys !== null;
  }

  /** A new key for a volume of type `volumeTypeId` when the type is encrypted (cipher and key size from its specs). */
  async forNewVolume(ctx: RequestContext, volumeTypeId: string, volumeId: string): Promise<string | null> {
    const encryption = this.keys ? this.catalog.volumeTypeEncryption(volumeTypeId) : null;
    if (!this.keys || !encryption) return null;
    const algorithm = encryption.cipher ? encryption.cipher.split('-')[0] : 'aes';
    return this.call(() =>
      this.keys!.createKey(this.token(ctx), { name: `volume-${volumeId}`, algorithm, bitLength: encryption.keySize ?? 256, mode: null }),
    );
  }

  /** A clone of `keyId` (a backup's of its volume's, a restored volume's of its backup's); the id itself without a key manager. */
  async cloneOf(ctx: RequestContext, keyId: string | null): Promise<string | null> {
    if (!this.keys || keyId === null) return keyId;
    return this.call(() => this.keys!.cloneKey(this.token(ctx), keyId));
  }

  /**
   * Deletes a key no longer needed: a deleted backup's, or one made for a request that was then refused.
   * A failure is logged, not answered: the request it follows has been recorded (Cinder logs it too).
   */
  async discard(ctx: RequestContext, keyId: string | null, why: string): Promise<void> {
    if (!this.keys || keyId === null) return;
    try {
      await this.keys.deleteKey(this.token(ctx), keyId);
    } catch (e) {
      this.logger.write('warn', 'encryption key not deleted', {
        context: 'key_manager',
        keyId,
        why,
        reason: (e as Error).message,
        requestId: ctx.requestId,
      });
    }
  }

  private token(ctx: RequestContext): string {
    const token = callerTokenOf(ctx);
    // [key_manager] backend = barbican is refused at start-up without auth_strategy = keystone.
    if (!token) throw new HttpFault(401, 'The request you have made requires authentication.');
    return token;
  }

  private async call<T>(f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (e) {
      if (!(e instanceof KeyManagerError)) throw e;
      if (e.status === 403) throw new HttpFault(403, `Key manager error: ${e.message}`);
      if (e.status < 500) throw new HttpFault(400, `Invalid input received: Key manager error: ${e.message}`);
      throw new HttpFault(503, `Key manager error: ${e.message}`);
    }
  }
}
