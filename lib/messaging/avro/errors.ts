import "server-only";
/** Errors of the Avro layer. Each carries a `code` so a consumer can route a message (retry, dead-letter) by kind. */

export type EventDecodeErrorCode =
  /** No bytes, or fewer than the 5-byte header (magic byte and schema id). */
  | "TOO_SHORT"
  /** The first byte is not 0: not a Confluent-framed Avro message. */
  | "BAD_MAGIC_BYTE"
  /** The schema id in the header is not in the registry. */
  | "UNKNOWN_SCHEMA_ID"
  /** The Avro body ends before the writer schema says it should. */
  | "TRUNCATED_BODY"
  /** Bytes are left over after the writer schema's value. */
  | "TRAILING_BYTES"
  /** The body does not follow the writer schema (bad union or enum index, negative length, ...). */
  | "INVALID_BODY"
  /** The writer schema cannot be resolved into the reader schema. */
  | "INCOMPATIBLE_SCHEMA"
  /** The value decoded, but is not a valid domain event (e.g. an agent actor without an agent id). */
  | "INVALID_EVENT"
  /** An upcaster threw. */
  | "UPCAST_FAILED";

export interface EventDecodeErrorDetails {
  schemaId?: number;
  cause?: unknown;
}

/** A message that cannot be turned into a domain event. Never retried: the same bytes fail the same way. */
export class EventDecodeError extends Error {
  override readonly name = "EventDecodeError";
  readonly code: EventDecodeErrorCode;
  readonly schemaId: number | undefined;

  constructor(code: EventDecodeErrorCode, message: string, details: EventDecodeErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.schemaId = details.schemaId;
  }
}

/** An event that does not fit its writer schema (a domain field the schema lacks, a number that is not an int, ...). */
export class EventEncodeError extends Error {
  override readonly name = "EventEncodeError";
  /** One line per problem, each starting with the field's path, e.g. `data.details.numberOfDependents: ...`. */
  readonly problems: readonly string[];

  constructor(message: string, problems: readonly string[] = []) {
    super(problems.length === 0 ? message : `${message}: ${problems.join("; ")}`);
    this.problems = problems;
  }
}

/** The schema files, the manifest or a remote registry are inconsistent, or a lookup found nothing. */
export class SchemaRegistryError extends Error {
  override readonly name = "SchemaRegistryError";
}

/** A newer schema cannot read what an older one wrote. */
export class SchemaCompatibilityError extends Error {
  override readonly name = "SchemaCompatibilityError";
}
