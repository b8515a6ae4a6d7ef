/**
 * Recorded quote events to and from Kafka message values: Confluent wire format, Avro body.
 *
 * Writing always uses the latest schema of the event's type. Reading takes the writer schema from the id in the
 * header and resolves it into the latest (reader) schema with avsc's resolver, so an event written under any
 * earlier version reads as the current shape (new optional fields at their defaults). What a resolver cannot do
 * (change a field's meaning, split or merge fields) is an upcaster's job: see `Upcasters`.
 *
 * Personal values (see the domain's personal-data.ts) travel encrypted: the event given to `encodeEvent` carries
 * them sealed (`{ ciphertext }`, as the event store keeps them), written as Avro bytes, and `decodeEvent` gives
 * them back sealed; decrypting is the reader's business (lib/privacy). Versions written before encryption held
 * them as plain strings, which resolution reads as their UTF-8 bytes; the upcasters below turn those back into
 * the plain strings they were.
 *
 * Mapping to the domain: Avro has no "absent", so an optional domain field (FamilyDetails.spouseName) is written
 * as null and comes back absent; a field the domain types as `T | null` (causationId, QuoteApproved.reason) comes
 * back null. Avro fields the domain does not have (GeographicDetails.county since v2) are dropped. So
 * `decodeEvent(encodeEvent(e))` deep-equals `e` for every valid event.
 */
import "server-only";
import type { Type } from "avsc";
import type { CountryCode } from "../../../schemas/quote";
import type { Actor, ActorKind } from "../../domain/quote/actor";
import { mapPersonalValues } from "../../domain/quote/personal-data";
import { bytesOf, isSealed, sealedOf, type SealedValue } from "../../privacy/sealed-value";
import { isQuoteEventType, type QuoteEvent, type QuoteEventOfType, type QuoteEventType, type RecordedEvent } from "../../domain/quote/events";
import type { Currency, Premium, PremiumLineKind } from "../../domain/quote/premium";
import type { UnderwritingRuleId } from "../../domain/quote/underwriting";
import { assertWellFormedBody } from "./body-guard";
import { EventDecodeError, EventEncodeError } from "./errors";
import type { RegisteredSchema, SchemaRegistry } from "./schema-registry";
import { decodeHeader, encode } from "./wire-format";

// ---------------------------------------------------------------------------------------------------------------
// The Avro side: values as the latest schemas describe them
// ---------------------------------------------------------------------------------------------------------------

export interface AvroActor {
  kind: Actor["kind"];
  agentId: string | null;
  name: string | null;
}

export interface AvroGeographicDetails {
  country: CountryCode;
  state: string;
  city: Buffer;
  zipCode: Buffer;
  /** Since v2; null when not captured. The domain does not have it yet. */
  county: string | null;
}

export interface AvroFamilyDetails {
  numberOfDependents: number;
  spouseName: Buffer | null;
  childrenNames: Buffer[];
}

export interface AvroContactDetails {
  email: Buffer;
  phoneNumber: Buffer;
}

export interface AvroPremium {
  currency: Currency;
  monthly: number;
  annual: number;
  breakdown: Array<{ label: string; kind: PremiumLineKind; value: number; description: string }>;
}

/** The `data` record of each event type, in its latest version. */
export interface AvroEventData {
  QuoteStarted: { quoteId: string };
  GeographicDetailsCaptured: { details: AvroGeographicDetails };
  ContactDetailsCaptured: { details: AvroContactDetails };
  FamilyDetailsCaptured: { details: AvroFamilyDetails };
  QuoteSubmitted: { premium: AvroPremium; validUntil: string; expiresAt: string | null };
  ApplicationNumberAssigned: { applicationNumber: string };
  ApplicationNumberRequestFailed: { reason: string };
  QuoteApproved: { reason: string | null; agentId: string };
  QuoteRejected: { reason: string; agentId: string };
  QuoteReferred: { reason: string; agentId: string };
  QuoteCancelled: Record<string, never>;
  QuoteExpired: Record<string, never>;
  QuoteRequoted: { requotedFrom: string };
  QuoteReferredAutomatically: { reasons: Array<{ rule: string; reason: string }> };
  QuoteApprovedAutomatically: { rules: string[] };
  PersonalDataErased: { reason: string; erasedBy: ActorKind; agentId: string | null };
  QuoteNoteAdded: { note: Buffer; agentId: string };
  QuoteAssigned: { agentId: string };
}

/** One event as its latest Avro record: the RecordedEvent envelope (minus `type`, which is the record's name) and data. */
export interface AvroEventRecord<T extends QuoteEventType = QuoteEventType> {
  eventId: string;
  quoteId: string;
  version: number;
  occurredAt: string;
  correlationId: string;
  causationId: string | null;
  actor: AvroActor;
  data: AvroEventData[T];
}

// ---------------------------------------------------------------------------------------------------------------
// Upcasters
// ---------------------------------------------------------------------------------------------------------------

export interface UpcastContext {
  type: QuoteEventType;
  /** The version the event was written with. */
  writerVersion: number;
  /** The latest version, whose shape the event already has. */
  readerVersion: number;
  schemaId: number;
}

/**
 * Turns an event written under version `fromVersion` (already resolved into the latest shape, and mapped to the
 * domain) into what version `fromVersion + 1` would have recorded.
 */
export type Upcaster = (event: RecordedEvent, context: UpcastContext) => RecordedEvent;

/**
 * `{ [type]: { [fromVersion]: upcaster } }`. An event written under vN and read as vM runs the upcasters for
 * N, N+1, ..., M-1 in order, after avsc's resolution. Only for what resolution cannot do: renamed or split fields,
 * a value whose meaning changed, a default that depends on other fields.
 */
export type Upcasters = { readonly [T in QuoteEventType]?: { readonly [fromVersion: number]: Upcaster } };

/** A value written as a plain string before encryption, read through the bytes field: the string again. */
const plainAgain = (value: unknown) => (isSealed(value) ? bytesOf(value).toString("utf8") : value);
const personalValuesWerePlain: Upcaster = (event) => ({ ...event, data: mapPersonalValues(event.type, event.data, plainAgain) } as RecordedEvent);

/**
 * The project's upcasters. GeographicDetailsCaptured v1 → v2 only added an optional field, which the resolver fills
 * with its default. The last version of each type that held personal values in plain text lifts them from the
 * bytes the resolver made back to strings: such an event stays as it was stored, unencrypted.
 */
export const upcasters: Upcasters = {
  GeographicDetailsCaptured: { 2: personalValuesWerePlain },
  ContactDetailsCaptured: { 1: personalValuesWerePlain },
  FamilyDetailsCaptured: { 1: personalValuesWerePlain },
};

export interface DecodeOptions {
  /** Defaults to the project's `upcasters`. */
  upcasters?: Upcasters;
}

// ---------------------------------------------------------------------------------------------------------------
// Domain → Avro
// ---------------------------------------------------------------------------------------------------------------

function toAvroActor(actor: Actor): Partial<AvroActor> {
  switch (actor.kind) {
    case "customer":
      return { kind: "customer", agentId: null, name: null };
    case "agent":
      return { kind: "agent", agentId: actor.agentId, name: null };
    case "system":
      return { kind: "system", agentId: null, name: actor.name };
    default:
      return actor; // not an Actor at all: let the schema check name the problem
  }
}

/**
 * The Avro record for an event. Domain fields are passed as they are: an absent optional field is left undefined,
 * which avsc writes as the field's default (null). Fields the domain lacks (county) are written as their default.
 */
export function toAvroRecord(event: RecordedEvent): Record<string, unknown> {
  // Every envelope field but `type`, which the record's name carries.
  const { eventId, quoteId, version, occurredAt, correlationId, causationId, actor } = event;
  // A plain string left where bytes belong fails the schema check: plain personal data is never published.
  const data = mapPersonalValues(event.type, event.data, (value) => (isSealed(value) ? bytesOf(value) : value));
  return { eventId, quoteId, version, occurredAt, correlationId, causationId, actor: toAvroActor(actor), data };
}

const describe = (value: unknown): string => {
  if (value === undefined) return "missing";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

/** Every way `value` does not fit `type`, one line per problem, strictly (a field the schema lacks is a problem). */
function schemaProblems(type: Type, value: unknown): string[] {
  const problems: string[] = [];
  type.isValid(value, {
    noUndeclaredFields: true,
    errorHook: (pathParts, val, t) => {
      const at = pathParts.join(".") || "(the event)";
      const fields = (t as unknown as { fields?: Array<{ name: string }> }).fields;
      if (fields && val !== null && typeof val === "object" && !Array.isArray(val)) {
        const known = new Set(fields.map((f) => f.name));
        const extra = Object.keys(val).filter((k) => !known.has(k) && (val as Record<string, unknown>)[k] !== undefined);
        if (extra.length > 0) {
          problems.push(`${at}: ${extra.map((k) => `"${k}"`).join(", ")} not in the schema`);
          return;
        }
      }
      problems.push(`${at}: ${describe(val)} is not a valid ${t.toString()}`);
    },
  });
  return problems;
}

/** What the schema cannot say: an agent needs its id, a system actor its name (both are nullable in Avro). */
function actorProblems(actor: Actor): string[] {
  const { kind, agentId, name } = actor as Partial<Record<"kind" | "agentId" | "name", unknown>>;
  if (kind === "agent" && typeof agentId !== "string") return [`actor.agentId: ${describe(agentId)} is not a valid agent id`];
  if (kind === "system" && typeof name !== "string") return [`actor.name: ${describe(name)} is not a valid system name`];
  return [];
}

/** Encodes with an explicit writer schema. Production code uses `encodeEvent` (the latest schema); tests use old ones. */
export function encodeEventWith(event: RecordedEvent, writer: RegisteredSchema): Buffer {
  if (writer.type !== event.type) {
    throw new EventEncodeError(`Cannot write a ${event.type} event with the ${writer.type} schema (id ${writer.id})`);
  }
  const record = toAvroRecord(event);
  const problems = [...actorProblems(event.actor), ...schemaProblems(writer.schema, record)];
  if (problems.length > 0) {
    throw new EventEncodeError(`${event.type} event ${event.eventId} does not fit its Avro schema v${writer.version} (id ${writer.id})`, problems);
  }
  return encode(writer.id, writer.schema, record);
}

/**
 * Encodes a recorded event with the latest schema of its type: Confluent wire format. Throws EventEncodeError. An
 * event stored before personal values were encrypted still holds them as text, which the latest schemas (bytes)
 * refuse: it is written with the newest schema of its type that takes text, as it was before, rather than stall
 * the relay behind it (`npm run privacy:migrate-history` is how such history gets encrypted).
 */
export function encodeEvent(event: RecordedEvent, registry: SchemaRegistry): Buffer {
  if (!isQuoteEventType(event.type)) throw new EventEncodeError(`Not a quote event type: ${describe(event.type)}`);
  const latest = registry.latest(event.type);
  if (!holdsPlainPersonalValues(event)) return encodeEventWith(event, latest);
  const record = toAvroRecord(event);
  const fitting = [...registry.versions(event.type)].reverse().find((writer) => schemaProblems(writer.schema, record).length === 0);
  return encodeEventWith(event, fitting ?? latest);
}

function holdsPlainPersonalValues(event: RecordedEvent): boolean {
  let plain = false;
  mapPersonalValues(event.type, event.data, (value) => {
    if (typeof value === "string") plain = true;
    return value;
  });
  return plain;
}

// ---------------------------------------------------------------------------------------------------------------
// Avro → domain
// ---------------------------------------------------------------------------------------------------------------

// Resolvers are costly to build: one per (reader, writer) pair, for the life of the schemas.
type Resolver = ReturnType<Type["createResolver"]>;
const resolvers = new WeakMap<Type, Map<Type, Resolver>>();

function resolverFor(reader: RegisteredSchema, writer: RegisteredSchema): Resolver {
  let forReader = resolvers.get(reader.schema);
  if (!forReader) resolvers.set(reader.schema, (forReader = new Map()));
  let resolver = forReader.get(writer.schema);
  if (!resolver) {
    try {
      resolver = reader.schema.createResolver(writer.schema);
    } catch (error) {
      throw new EventDecodeError(
        "INCOMPATIBLE_SCHEMA",
        `Schema id ${writer.id} (${writer.type} v${writer.version}) cannot be read as ${reader.type} v${reader.version} (id ${reader.id}): ${(error as Error).message}`,
        { schemaId: writer.id, cause: error },
      );
    }
    forReader.set(writer.schema, resolver);
  }
  return resolver;
}

export interface DecodedRecord<T extends QuoteEventType = QuoteEventType> {
  schemaId: number;
  type: T;
  /** The version the message was written with. */
  writerVersion: number;
  /** The latest version: `value` has its shape. */
  readerVersion: number;
  /** The Avro value in the latest schema's shape (avsc record objects). */
  value: AvroEventRecord<T>;
}

/** Decodes a message into the latest Avro shape, without mapping to the domain or upcasting. Throws EventDecodeError. */
export function decodeRecord(message: Uint8Array | null | undefined, registry: SchemaRegistry): DecodedRecord {
  const { schemaId, body } = decodeHeader(message);
  const writer = registry.find(schemaId);
  if (!writer) {
    const known = registry.entries().map((e) => e.id);
    throw new EventDecodeError(
      "UNKNOWN_SCHEMA_ID",
      `Unknown schema id ${schemaId}: not in this registry (known ids: ${known.join(", ") || "none"}); ` +
        "was the message written by a newer version of the app, or for another registry?",
      { schemaId },
    );
  }
  if (!isQuoteEventType(writer.type)) {
    throw new EventDecodeError("INVALID_EVENT", `Schema id ${schemaId} is for "${writer.type}", which is not a quote event type`, { schemaId });
  }
  const reader = registry.latest(writer.type);
  assertWellFormedBody(writer.schema, body, schemaId);
  let value: AvroEventRecord;
  try {
    value =
      reader === writer
        ? (reader.schema.fromBuffer(body) as AvroEventRecord)
        : (reader.schema.fromBuffer(body, resolverFor(reader, writer)) as AvroEventRecord);
  } catch (error) {
    if (error instanceof EventDecodeError) throw error;
    throw new EventDecodeError(
      "INVALID_BODY",
      `Cannot decode the Avro body of ${writer.type} v${writer.version} (schema id ${schemaId}): ${(error as Error).message}`,
      { schemaId, cause: error },
    );
  }
  return { schemaId, type: writer.type, writerVersion: writer.version, readerVersion: reader.version, value };
}

/** A sealed value where the domain has a string: the event stays sealed until lib/privacy opens it. */
const sealed = (bytes: Buffer): string => sealedOf(bytes) as SealedValue & string;

const geographicDetails = (d: AvroGeographicDetails) => ({
  country: d.country,
  state: d.state,
  city: sealed(d.city),
  zipCode: sealed(d.zipCode),
});

const familyDetails = (d: AvroFamilyDetails) => ({
  numberOfDependents: d.numberOfDependents,
  ...(d.spouseName === null ? {} : { spouseName: sealed(d.spouseName) }),
  childrenNames: d.childrenNames.map(sealed),
});

const premium = (p: AvroPremium): Premium => ({
  currency: p.currency,
  monthly: p.monthly,
  annual: p.annual,
  breakdown: p.breakdown.map((line) => ({ label: line.label, kind: line.kind, value: line.value, description: line.description })),
});

/** Each type's Avro data → domain data (plain objects, optional fields absent rather than null). */
const toDomainData: { [T in QuoteEventType]: (data: AvroEventData[T]) => QuoteEventOfType<T>["data"] } = {
  QuoteStarted: (d) => ({ quoteId: d.quoteId }),
  GeographicDetailsCaptured: (d) => ({ details: geographicDetails(d.details) }),
  ContactDetailsCaptured: (d) => ({ details: { email: sealed(d.details.email), phoneNumber: sealed(d.details.phoneNumber) } }),
  FamilyDetailsCaptured: (d) => ({ details: familyDetails(d.details) }),
  QuoteSubmitted: (d) => ({ premium: premium(d.premium), validUntil: d.validUntil, ...(d.expiresAt === null ? {} : { expiresAt: d.expiresAt }) }),
  ApplicationNumberAssigned: (d) => ({ applicationNumber: d.applicationNumber }),
  ApplicationNumberRequestFailed: (d) => ({ reason: d.reason }),
  QuoteApproved: (d) => ({ reason: d.reason, agentId: d.agentId }),
  QuoteRejected: (d) => ({ reason: d.reason, agentId: d.agentId }),
  QuoteReferred: (d) => ({ reason: d.reason, agentId: d.agentId }),
  QuoteCancelled: () => ({}),
  QuoteExpired: () => ({}),
  QuoteRequoted: (d) => ({ requotedFrom: d.requotedFrom }),
  // The rule ids are the domain's: a reader that does not know a newer rule still shows its reason.
  QuoteReferredAutomatically: (d) => ({ reasons: d.reasons.map((r) => ({ rule: r.rule as UnderwritingRuleId, reason: r.reason })) }),
  QuoteApprovedAutomatically: (d) => ({ rules: d.rules.map((rule) => rule as UnderwritingRuleId) }),
  PersonalDataErased: (d) => ({ reason: d.reason, erasedBy: d.erasedBy, agentId: d.agentId }),
  QuoteNoteAdded: (d) => ({ note: sealed(d.note), agentId: d.agentId }),
  QuoteAssigned: (d) => ({ agentId: d.agentId }),
};

function toDomainActor(actor: AvroActor, schemaId: number): Actor {
  switch (actor.kind) {
    case "customer":
      return { kind: "customer" };
    case "agent":
      if (actor.agentId === null) throw new EventDecodeError("INVALID_EVENT", `Schema id ${schemaId}: an agent actor has no agentId`, { schemaId });
      return { kind: "agent", agentId: actor.agentId };
    case "system":
      if (actor.name === null) throw new EventDecodeError("INVALID_EVENT", `Schema id ${schemaId}: a system actor has no name`, { schemaId });
      return { kind: "system", name: actor.name };
  }
}

function toDomainEvent<T extends QuoteEventType>(decoded: DecodedRecord<T>): RecordedEvent {
  const { value, type, schemaId } = decoded;
  const data = (toDomainData[type] as (data: AvroEventData[T]) => QuoteEventOfType<T>["data"])(value.data);
  return {
    type,
    data,
    eventId: value.eventId,
    quoteId: value.quoteId,
    version: value.version,
    occurredAt: value.occurredAt,
    correlationId: value.correlationId,
    causationId: value.causationId,
    actor: toDomainActor(value.actor, schemaId),
  } as RecordedEvent<QuoteEvent>;
}

/**
 * Decodes a message into a recorded event in the latest shape: header → writer schema by id → resolution into
 * the latest schema → domain mapping → upcasters. Throws EventDecodeError (with a `code`) for anything it cannot
 * read, never a bare TypeError or RangeError.
 */
export function decodeEvent(
  message: Uint8Array | null | undefined,
  registry: SchemaRegistry,
  options: DecodeOptions = {},
): RecordedEvent {
  const decoded = decodeRecord(message, registry);
  let event = toDomainEvent(decoded);
  const chain = (options.upcasters ?? upcasters)[decoded.type];
  if (chain) {
    for (let from = decoded.writerVersion; from < decoded.readerVersion; from++) {
      const upcaster = chain[from];
      if (!upcaster) continue;
      const context: UpcastContext = {
        type: decoded.type,
        writerVersion: decoded.writerVersion,
        readerVersion: decoded.readerVersion,
        schemaId: decoded.schemaId,
      };
      try {
        event = upcaster(event, context);
      } catch (error) {
        throw new EventDecodeError(
          "UPCAST_FAILED",
          `Upcasting ${decoded.type} from v${from} to v${from + 1} failed (schema id ${decoded.schemaId}): ${(error as Error).message}`,
          { schemaId: decoded.schemaId, cause: error },
        );
      }
    }
  }
  return event;
}
