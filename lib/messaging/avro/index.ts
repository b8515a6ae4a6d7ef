import "server-only";
/** Avro for quote events: schemas with stable ids, Confluent wire format, and the event codec. */
export { EventDecodeError, EventEncodeError, SchemaCompatibilityError, SchemaRegistryError, type EventDecodeErrorCode } from "./errors";
export { HEADER_SIZE, MAGIC_BYTE, MAX_SCHEMA_ID, decodeHeader, encode, encodeHeader, schemaIdOf, type FramedMessage } from "./wire-format";
export {
  AVRO_PARSE_OPTIONS,
  AVRO_SCHEMA_DIR,
  SCHEMA_NAMESPACE,
  SchemaRegistry,
  builtInRegistry,
  loadSchemaRegistry,
  parseSchema,
  schemaText,
  subjectFor,
  type RegisteredSchema,
  type RegistryManifest,
} from "./schema-registry";
export {
  decodeEvent,
  decodeRecord,
  encodeEvent,
  encodeEventWith,
  toAvroRecord,
  upcasters,
  type AvroEventRecord,
  type DecodeOptions,
  type DecodedRecord,
  type UpcastContext,
  type Upcaster,
  type Upcasters,
} from "./event-codec";
export { assertCanRead, backwardTransitiveProblems } from "./compatibility";
export { ExternalSchemaRegistry, SUBJECT_COMPATIBILITY, connectExternalRegistry, type ExternalRegistrySettings } from "./external-registry";
export { configuredSchemaRegistry } from "./configured-registry";
