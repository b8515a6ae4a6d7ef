import "server-only";
import { ERASED, mapPersonalValues } from "../domain/quote/personal-data";
import { decryptField, encryptField } from "./field-cipher";
import { bytesOf, isSealed, sealedOf } from "./sealed-value";

/**
 * The event with its personal values encrypted under the quote's data key, as the store writes it. A value that is
 * already sealed stays as it is.
 */
export function sealEvent<E extends { type: string; data: unknown }>(event: E, key: Buffer, quoteId: string): E {
  return { ...event, data: mapPersonalValues(event.type, event.data, (value) => (typeof value === "string" ? sealedOf(encryptField(key, value, quoteId)) : value)) };
}

/**
 * The domain event of a stored one: sealed values decrypted with the quote's data key, or ERASED when the quote has
 * no key any more (its personal data was erased). A value stored before encryption existed is a plain string and
 * stays one. A sealed value that does not decrypt under the key throws FieldDecryptError: the event was damaged.
 */
export function openEvent<E extends { type: string; data: unknown; quoteId: string }>(event: E, key: Buffer | null): E {
  return {
    ...event,
    data: mapPersonalValues(event.type, event.data, (value) => {
      if (!isSealed(value)) return value;
      return key ? decryptField(key, bytesOf(value), event.quoteId) : ERASED;
    }),
  };
}
