import "server-only";

/**
 * A personal value as the event store and Kafka keep it: the bytes of `encryptField`, in JSON as base64. Events
 * whose personal values are sealed ("stored events") have the RecordedEvent shape with these objects in place of
 * the strings; only `openEvent` turns them back into a domain event.
 */
export interface SealedValue {
  ciphertext: string;
}

export const isSealed = (value: unknown): value is SealedValue =>
  value !== null && typeof value === "object" && typeof (value as { ciphertext?: unknown }).ciphertext === "string";

export const sealedOf = (bytes: Uint8Array): SealedValue => ({ ciphertext: Buffer.from(bytes).toString("base64") });

export const bytesOf = (value: SealedValue): Buffer => Buffer.from(value.ciphertext, "base64");
