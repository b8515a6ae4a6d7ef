/**
 * The event schemas and their ids.
 *
 * The built-in registry reads the committed `schemas/avro/<EventType>.v<N>.avsc` files and gives each the id the
 * committed manifest `schemas/avro/registry.json` assigns it: `{ "<EventType>": { "<version>": id } }`.
 * Ids are part of every message ever published, so they are never reused and never renumbered: adding a version
 * appends a new id, the highest id in the manifest plus one (`nextSchemaId`).
 *
 * With SCHEMA_REGISTRY_URL set, an external Confluent-compatible registry gives the ids instead (see
 * external-registry.ts): the same schemas, registered there under Confluent's RecordNameStrategy subjects (one
 * topic carries every event type): the record's full name, e.g. `com.quoting.events.QuoteStarted` (see `subjectFor`).
 *
 * Runs under Node (tsx), not in the browser: it reads the files with `fs`, relative to this module.
 */
import "server-only";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import avro, { type Type } from "avsc";
import { QUOTE_EVENT_TYPES } from "../../domain/quote/events";
import { SchemaRegistryError } from "./errors";

/** Namespace of every event record. */
export const SCHEMA_NAMESPACE = "com.quoting.events";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const AVRO_SCHEMA_DIR = path.join(REPO_ROOT, "schemas", "avro");
export const MANIFEST_FILE = "registry.json";

/** `<EventType>.v<N>.avsc` */
export const SCHEMA_FILE_PATTERN = /^([A-Za-z][A-Za-z0-9]*)\.v([1-9][0-9]*)\.avsc$/;

/** `{ "<EventType>": { "<version>": schemaId } }`, as committed in schemas/avro/registry.json. */
export type RegistryManifest = Record<string, Record<string, number>>;

export interface RegisteredSchema {
  /** Global schema id, written in every message's header. */
  readonly id: number;
  /** The event type, e.g. "QuoteStarted" (the record's name without its namespace). */
  readonly type: string;
  /** 1, 2, ...: the order versions were added in. */
  readonly version: number;
  readonly schema: Type;
}

/** The record's full name, used as the Confluent subject (RecordNameStrategy). */
export const subjectFor = (type: string): string => `${SCHEMA_NAMESPACE}.${type}`;

/** How every schema of the project is parsed: unions of null and one type are "unwrapped" (null or the plain value, not { string: "..." }). */
export const AVRO_PARSE_OPTIONS = { wrapUnions: "auto" } as const satisfies Partial<avro.ForSchemaOptions>;

/** Parses an Avro schema (a JSON value or JSON text) the way every schema of the project is parsed. */
export function parseSchema(schema: unknown): Type {
  const json = typeof schema === "string" ? (JSON.parse(schema) as unknown) : schema;
  // A copy: avsc keeps the named types it meets in its options object, and each schema has a registry of its own.
  return avro.Type.forSchema(json as avro.Schema, { ...AVRO_PARSE_OPTIONS });
}

/** The schema's JSON text as avsc writes it back (attributes such as defaults and docs kept): what is registered. */
export const schemaText = (schema: Type): string => JSON.stringify(schema.schema({ exportAttrs: true }));

/**
 * The schemas of this app's events (every version of every event type, each with its id), and the writer schemas
 * found by id. The versions of a type (`latest`, `versions`, `version`) are only this app's own: a writer schema a
 * newer app registered elsewhere can be found by its id (`find`) once resolved, but never becomes what this app
 * writes with or reads into.
 */
export class SchemaRegistry {
  private readonly byIdMap = new Map<number, RegisteredSchema>();
  private readonly byType = new Map<string, RegisteredSchema[]>();

  constructor(entries: Iterable<RegisteredSchema>) {
    for (const entry of entries) {
      const versions = this.byType.get(entry.type) ?? [];
      if (versions.some((v) => v.version === entry.version)) {
        throw new SchemaRegistryError(`${entry.type} v${entry.version} is registered twice`);
      }
      this.addWriter(entry);
      this.byType.set(entry.type, [...versions, entry].sort((a, b) => a.version - b.version));
    }
  }

  /** Makes a schema findable by its id, without making it one of this app's versions. */
  protected addWriter(entry: RegisteredSchema): void {
    const clash = this.byIdMap.get(entry.id);
    if (clash) {
      throw new SchemaRegistryError(`Schema id ${entry.id} is given to both ${clash.type} v${clash.version} and ${entry.type} v${entry.version}`);
    }
    this.byIdMap.set(entry.id, entry);
  }

  /**
   * Makes sure the schemas with these ids are known, before messages carrying them are decoded (which is
   * synchronous). The committed schemas know no more than they know: an unknown id stays unknown, and decoding it
   * says so. An external registry (ExternalSchemaRegistry) asks for the ids it does not know yet.
   */
  async resolveUnknown(ids: Iterable<number>): Promise<void> {
    void ids;
  }

  /** The newest version of a type: the one events are written with, and read into. */
  latest(type: string): RegisteredSchema {
    const versions = this.byType.get(type);
    if (!versions || versions.length === 0) {
      throw new SchemaRegistryError(`No Avro schema for event type "${type}" (known: ${this.types().join(", ") || "none"})`);
    }
    return versions[versions.length - 1]!;
  }

  /** The schema with this id; throws SchemaRegistryError when there is none. */
  byId(id: number): RegisteredSchema {
    const entry = this.find(id);
    if (!entry) throw new SchemaRegistryError(`Unknown schema id ${id}`);
    return entry;
  }

  /** The schema with this id, or undefined. */
  find(id: number): RegisteredSchema | undefined {
    return this.byIdMap.get(id);
  }

  /** One version of a type; throws SchemaRegistryError when there is none. */
  version(type: string, version: number): RegisteredSchema {
    const entry = this.byType.get(type)?.find((v) => v.version === version);
    if (!entry) throw new SchemaRegistryError(`No Avro schema for ${type} v${version}`);
    return entry;
  }

  /** Every version of a type, oldest first (empty for an unknown type). */
  versions(type: string): readonly RegisteredSchema[] {
    return this.byType.get(type) ?? [];
  }

  types(): string[] {
    return [...this.byType.keys()];
  }

  /** Every schema, by id. */
  entries(): RegisteredSchema[] {
    return [...this.byIdMap.values()].sort((a, b) => a.id - b.id);
  }

  /** The id the next new schema version must get: one more than the highest id so far. */
  nextSchemaId(): number {
    return Math.max(0, ...this.byIdMap.keys()) + 1;
  }
}

function readManifest(dir: string): RegistryManifest {
  const file = path.join(dir, MANIFEST_FILE);
  let manifest: unknown;
  try {
    manifest = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new SchemaRegistryError(`Cannot read the schema id manifest ${file}: ${(error as Error).message}`);
  }
  const problems: string[] = [];
  if (typeof manifest !== "object" || manifest === null || Array.isArray(manifest)) {
    throw new SchemaRegistryError(`${file} must be an object { "<EventType>": { "<version>": id } }`);
  }
  for (const [type, versions] of Object.entries(manifest)) {
    if (typeof versions !== "object" || versions === null || Array.isArray(versions)) {
      problems.push(`${type} must map versions to ids`);
      continue;
    }
    for (const [version, id] of Object.entries(versions as Record<string, unknown>)) {
      if (!/^[1-9][0-9]*$/.test(version)) problems.push(`${type}: "${version}" is not a version number`);
      if (typeof id !== "number" || !Number.isInteger(id) || id < 1 || id > 0x7fffffff) {
        problems.push(`${type} v${version}: id ${JSON.stringify(id)} is not a positive 32-bit integer`);
      }
    }
  }
  if (problems.length > 0) throw new SchemaRegistryError(`${file} is invalid: ${problems.join("; ")}`);
  return manifest as RegistryManifest;
}

/**
 * Loads every `<EventType>.v<N>.avsc` in `dir` with its id from `dir/registry.json`.
 * Throws SchemaRegistryError when a file is missing from the manifest or the manifest names a missing file,
 * when versions have gaps, when a file does not parse, or when its record is not `com.quoting.events.<EventType>`.
 */
export function loadSchemaRegistry(dir: string = AVRO_SCHEMA_DIR): SchemaRegistry {
  const manifest = readManifest(dir);
  const problems: string[] = [];
  const entries: RegisteredSchema[] = [];
  const seen = new Set<string>();

  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".avsc")).sort()) {
    const match = SCHEMA_FILE_PATTERN.exec(file);
    if (!match) {
      problems.push(`${file} is not named <EventType>.v<N>.avsc`);
      continue;
    }
    const type = match[1]!;
    const version = Number(match[2]);
    seen.add(`${type}@${version}`);
    const id = manifest[type]?.[String(version)];
    if (id === undefined) {
      problems.push(`${file} has no id in ${MANIFEST_FILE}: add "${type}": { "${version}": <next id> }`);
      continue;
    }
    let schema: Type;
    try {
      schema = parseSchema(fs.readFileSync(path.join(dir, file), "utf8"));
    } catch (error) {
      problems.push(`${file} does not parse: ${(error as Error).message}`);
      continue;
    }
    if (schema.name !== subjectFor(type)) {
      problems.push(`${file} must define the record ${subjectFor(type)}, not ${schema.name ?? schema.typeName}`);
      continue;
    }
    entries.push({ id, type, version, schema });
  }

  for (const [type, versions] of Object.entries(manifest)) {
    for (const version of Object.keys(versions)) {
      if (!seen.has(`${type}@${version}`)) problems.push(`${MANIFEST_FILE} gives an id to ${type}.v${version}.avsc, which does not exist`);
    }
    const numbers = Object.keys(versions).map(Number).sort((a, b) => a - b);
    if (numbers.some((n, i) => n !== i + 1)) problems.push(`${type} versions must be 1, 2, 3, ... without gaps (found ${numbers.join(", ")})`);
  }
  if (problems.length > 0) throw new SchemaRegistryError(`Invalid Avro schemas in ${dir}: ${problems.join("; ")}`);
  return new SchemaRegistry(entries);
}

let builtIn: SchemaRegistry | undefined;

/** The committed schemas (loaded once). Throws when a quote event type has no schema. */
export function builtInRegistry(): SchemaRegistry {
  if (!builtIn) {
    const registry = loadSchemaRegistry();
    const missing = QUOTE_EVENT_TYPES.filter((type) => registry.versions(type).length === 0);
    if (missing.length > 0) throw new SchemaRegistryError(`No Avro schema for ${missing.join(", ")} in ${AVRO_SCHEMA_DIR}`);
    builtIn = registry;
  }
  return builtIn;
}
