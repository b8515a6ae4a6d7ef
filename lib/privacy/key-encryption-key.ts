import "server-only";
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

/**
 * What wraps and unwraps the quotes' data keys. The local implementation below holds a 256-bit key from the
 * configuration; a cloud KMS (its Encrypt/Decrypt calls) can take its place behind the same two methods.
 * `context` (the quote id) is bound to the wrapped key as associated data: a wrapped key copied to another quote's
 * row does not unwrap.
 */
export interface KeyEncryptionKey {
  /** Names the key, stored beside every key it wrapped, so a rotation knows which ones are still to re-wrap. */
  readonly id: string;
  wrap(dataKey: Buffer, context: string): Promise<Buffer>;
  unwrap(wrapped: Buffer, context: string): Promise<Buffer>;
}

export { KEK_BYTES } from "../config/key-text";
import { KEK_BYTES } from "../config/key-text";
const IV_BYTES = 12;
const TAG_BYTES = 16;
const FORMAT = 1;

export class KeyUnwrapError extends Error {}

export { parseKeyEncryptionKey } from "../config/key-text";

/** The id of a local key: a fingerprint, not the key (the first 8 bytes of its SHA-256, hex). */
export const keyFingerprint = (key: Buffer): string => `local:${createHash("sha256").update(key).digest("hex").slice(0, 16)}`;

/** AES-256-GCM under a key held in this process. Wrapped form: format byte, IV, tag, ciphertext. */
export function localKeyEncryptionKey(key: Buffer): KeyEncryptionKey {
  if (key.length !== KEK_BYTES) throw new Error(`A key-encryption key is ${KEK_BYTES} bytes, not ${key.length}`);
  const secret = Buffer.from(key);
  return {
    id: keyFingerprint(secret),
    async wrap(dataKey, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv("aes-256-gcm", secret, iv);
      cipher.setAAD(Buffer.from(context, "utf8"));
      const body = Buffer.concat([cipher.update(dataKey), cipher.final()]);
      return Buffer.concat([Buffer.of(FORMAT), iv, cipher.getAuthTag(), body]);
    },
    async unwrap(wrapped, context) {
      if (wrapped.length < 1 + IV_BYTES + TAG_BYTES || wrapped[0] !== FORMAT) throw new KeyUnwrapError("not a wrapped data key");
      const iv = wrapped.subarray(1, 1 + IV_BYTES);
      const tag = wrapped.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
      try {
        const decipher = createDecipheriv("aes-256-gcm", secret, iv);
        decipher.setAAD(Buffer.from(context, "utf8"));
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(wrapped.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]);
      } catch (error) {
        throw new KeyUnwrapError(`the data key does not unwrap under ${keyFingerprint(secret)}: ${(error as Error).message}`);
      }
    },
  };
}
