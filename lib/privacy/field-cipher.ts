import "server-only";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * One personal value encrypted with AES-256-GCM under its quote's data key: format byte, 12-byte IV, 16-byte tag,
 * ciphertext. The quote id is the associated data, so a value moved to another quote's event does not decrypt.
 */
export const DATA_KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const FORMAT = 1;

export class FieldDecryptError extends Error {}

export function encryptField(key: Buffer, plaintext: string, quoteId: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(quoteId, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return Buffer.concat([Buffer.of(FORMAT), iv, cipher.getAuthTag(), body]);
}

export function decryptField(key: Buffer, sealed: Buffer, quoteId: string): string {
  if (sealed.length < 1 + IV_BYTES + TAG_BYTES || sealed[0] !== FORMAT) throw new FieldDecryptError("not an encrypted field");
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, sealed.subarray(1, 1 + IV_BYTES));
    decipher.setAAD(Buffer.from(quoteId, "utf8"));
    decipher.setAuthTag(sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]).toString("utf8");
  } catch (error) {
    throw new FieldDecryptError(`the field does not decrypt: ${(error as Error).message}`);
  }
}

export const newDataKey = (): Buffer => randomBytes(DATA_KEY_BYTES);
