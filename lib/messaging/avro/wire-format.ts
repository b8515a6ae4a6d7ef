/**
 * Confluent wire format: one magic byte (0), the writer schema's id as a 4-byte big-endian integer, then the Avro
 * binary body. Kafka tooling that speaks Schema Registry (kcat -s avro, ksqlDB, Connect, ...) reads it as is.
 */
import "server-only";
import type { Type } from "avsc";
import { EventDecodeError } from "./errors";

export const MAGIC_BYTE = 0;
/** Magic byte plus a 4-byte schema id. */
export const HEADER_SIZE = 5;
/** Confluent schema ids are positive signed 32-bit integers. */
export const MAX_SCHEMA_ID = 0x7fffffff;

export interface FramedMessage {
  schemaId: number;
  /** The Avro body: a view on the message, not a copy. */
  body: Buffer;
}

function assertSchemaId(schemaId: number): void {
  if (!Number.isInteger(schemaId) || schemaId < 0 || schemaId > MAX_SCHEMA_ID) {
    throw new RangeError(`Schema id must be an integer from 0 to ${MAX_SCHEMA_ID}, got ${schemaId}`);
  }
}

/** The 5-byte header for a schema id. */
export function encodeHeader(schemaId: number): Buffer {
  assertSchemaId(schemaId);
  const header = Buffer.alloc(HEADER_SIZE);
  header.writeUInt8(MAGIC_BYTE, 0);
  header.writeUInt32BE(schemaId, 1);
  return header;
}

/** Frames `value` written with `type` (its Avro binary encoding) under `schemaId`. Throws when the value does not fit. */
export function encode(schemaId: number, type: Type, value: unknown): Buffer {
  const header = encodeHeader(schemaId);
  const body = type.toBuffer(value);
  return Buffer.concat([header, body], HEADER_SIZE + body.length);
}

const describeByte = (byte: number): string => {
  const hex = `0x${byte.toString(16).padStart(2, "0")}`;
  if (byte === 0x7b || byte === 0x5b) return `${hex} ('${String.fromCharCode(byte)}': this looks like JSON)`;
  return hex;
};

/**
 * Splits a framed message into its schema id and Avro body.
 * Throws EventDecodeError TOO_SHORT (empty, a tombstone, or under 5 bytes) or BAD_MAGIC_BYTE.
 */
export function decodeHeader(message: Uint8Array | null | undefined): FramedMessage {
  if (message === null || message === undefined || message.length === 0) {
    throw new EventDecodeError(
      "TOO_SHORT",
      `Empty message${message === null ? " (a tombstone?)" : ""}: expected at least ${HEADER_SIZE} bytes, the magic byte 0 and a 4-byte schema id`,
    );
  }
  const buf = Buffer.isBuffer(message) ? message : Buffer.from(message.buffer, message.byteOffset, message.byteLength);
  const magic = buf.readUInt8(0);
  if (magic !== MAGIC_BYTE) {
    throw new EventDecodeError(
      "BAD_MAGIC_BYTE",
      `Bad magic byte: the first byte is ${describeByte(magic)}, expected 0x00; this is not a Confluent-framed Avro message`,
    );
  }
  if (buf.length < HEADER_SIZE) {
    throw new EventDecodeError(
      "TOO_SHORT",
      `Message too short: ${buf.length} byte${buf.length === 1 ? "" : "s"}, but the header alone (magic byte and 4-byte schema id) needs ${HEADER_SIZE}`,
    );
  }
  return { schemaId: buf.readUInt32BE(1), body: buf.subarray(HEADER_SIZE) };
}

/** The schema id in a message's header, or undefined when it has none (decoding it then says why). */
export function schemaIdOf(message: Uint8Array | null | undefined): number | undefined {
  if (!message || message.length < HEADER_SIZE || message[0] !== MAGIC_BYTE) return undefined;
  return Buffer.from(message.buffer, message.byteOffset, message.byteLength).readUInt32BE(1);
}
