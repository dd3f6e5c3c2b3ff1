/** Symmetric keys of encrypted volumes, as castellan's key manager API gives Cinder (create, clone = get + store, delete). */
export interface KeyManager {
  /** A new key (server-generated); its id. */
  createKey(callerToken: string, spec: KeySpec): Promise<string>;
  /** A new key with the same bytes and attributes as `keyId`; its id. */
  cloneKey(callerToken: string, keyId: string): Promise<string>;
  /** Deletes the key; one that no longer exists is not an error. */
  deleteKey(callerToken: string, keyId: string): Promise<void>;
}

export interface KeySpec {
  readonly name: string;
  /** `aes`, from a cipher such as `aes-xts-plain64`. */
  readonly algorithm: string;
  readonly bitLength: number;
  readonly mode: string | null;
}

/** The key manager refused (status < 500: not allowed, no such key) or could not answer (503). */
export class KeyManagerError extends Error {
  override readonly name = 'KeyManagerError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const KEY_MANAGER = Symbol('KEY_MANAGER');
