import "server-only";
import type { RecordedEvent } from "../../domain/quote";
import { decodeEvent, encodeEvent } from "../../messaging/avro/event-codec";
import type { SchemaRegistry } from "../../messaging/avro/schema-registry";
import { sealEvent } from "../event-sealing";
import { erasePlainValues, plainValueCount } from "./plain-values";
import type { QuoteKeys } from "./quote-keys";

/**
 * What becomes of one record of the old topic in the new one:
 * - `encrypted`: it held plain personal values (written before encryption, with a schema version that takes text),
 *   re-encoded with the latest version, whose personal fields are bytes, its values sealed under the quote's data key;
 * - `erased`: the same, for an erased quote: its plain values become the erased marker, which needs no key and so
 *   keeps the version that takes text (every reader reads a keyless quote's values as that marker anyway);
 * - `as is`: nothing plain in it (already encrypted, or not personal), or not an event at all (`undecodable`): the
 *   same bytes.
 */
export type RecordFate = "encrypted" | "erased" | "as is" | "undecodable";

export class MissingDataKeyError extends Error {}

/** Decodes a record's value; null when it is not an event of this registry (the projector parks such records). */
export function decodedOrNull(value: Buffer | null, registry: SchemaRegistry): RecordedEvent | null {
  if (!value) return null;
  try {
    return decodeEvent(value, registry);
  } catch {
    return null;
  }
}

export const holdsPlainValues = (event: RecordedEvent | null): event is RecordedEvent => event !== null && plainValueCount(event.type, event.data) > 0;

/** The record's value in the new topic. `keys` must hold the key or the erasure of every quote with plain values. */
export function encryptedRecord(value: Buffer | null, event: RecordedEvent | null, keys: QuoteKeys, registry: SchemaRegistry): { value: Buffer | null; fate: RecordFate } {
  if (!event) return { value, fate: value && value.length > 0 ? "undecodable" : "as is" };
  if (!holdsPlainValues(event)) return { value, fate: "as is" };
  if (keys.erased.has(event.quoteId)) {
    return { value: encodeEvent({ ...event, data: erasePlainValues(event.type, event.data) } as RecordedEvent, registry), fate: "erased" };
  }
  const key = keys.keys.get(event.quoteId);
  if (!key) {
    throw new MissingDataKeyError(
      `Quote ${event.quoteId} has plain personal values on the topic but neither a data key nor an erasure: run --events first (it makes the keys of quotes that have none)`,
    );
  }
  return { value: encodeEvent(sealEvent(event, key, event.quoteId), registry), fate: "encrypted" };
}
