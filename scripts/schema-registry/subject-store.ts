// The stand-in registry's state: schemas by global id, subjects with their versions and compatibility levels,
// kept in one JSON file so that ids survive a restart. Pure apart from that file; every refusal is a RegistryProblem
// carrying Confluent's status and error code.
import fs from "node:fs";
import path from "node:path";
import type { Type } from "avsc";
import { parseSchema, schemaText } from "../../lib/messaging/avro/schema-registry";
import { compatibilityProblems, isCompatibilityLevel, type CompatibilityLevel } from "./compatibility-levels";

/** A refusal, as Confluent's REST API words it: HTTP status and `{ error_code, message }`. */
export class RegistryProblem extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
    this.name = "RegistryProblem";
  }
}

export const subjectNotFound = (subject: string) => new RegistryProblem(404, 40401, `Subject '${subject}' not found.`);
export const versionNotFound = (subject: string, version: number) => new RegistryProblem(404, 40402, `Version ${version} not found for subject '${subject}'.`);
export const schemaNotFound = (what = "Schema not found") => new RegistryProblem(404, 40403, what);
export const invalidSchema = (reason: string) => new RegistryProblem(422, 42201, `Invalid schema: ${reason}`);

export interface StoredVersion {
  subject: string;
  version: number;
  id: number;
  schema: string;
}

interface Subject {
  compatibility?: CompatibilityLevel;
  /** Schema ids, version 1 first. */
  versions: number[];
}

interface StoreFile {
  nextId: number;
  compatibility: CompatibilityLevel;
  /** Canonical schema text by id. */
  schemas: Record<string, string>;
  subjects: Record<string, Subject>;
}

/** Parses and canonicalises a schema (whitespace and key order do not make another schema); throws 42201. */
function canonical(text: unknown): { text: string; type: Type } {
  if (typeof text !== "string" || text.trim() === "") throw invalidSchema('"schema" must be the schema\'s JSON text');
  let type: Type;
  try {
    type = parseSchema(text);
  } catch (error) {
    throw invalidSchema((error as Error).message);
  }
  return { text: schemaText(type), type };
}

export class SubjectStore {
  private state: StoreFile;
  private readonly types = new Map<number, Type>();

  /** Reads `file` when it exists; throws an Error naming the file when it is not a store this stand-in wrote. */
  constructor(
    private readonly file: string,
    firstId = 1,
  ) {
    this.state = { nextId: firstId, compatibility: "BACKWARD", schemas: {}, subjects: {} };
    if (!fs.existsSync(file)) return;
    try {
      const loaded = JSON.parse(fs.readFileSync(file, "utf8")) as StoreFile;
      if (!Number.isInteger(loaded.nextId) || !isCompatibilityLevel(loaded.compatibility) || typeof loaded.schemas !== "object" || typeof loaded.subjects !== "object") {
        throw new Error("it does not hold nextId, compatibility, schemas and subjects");
      }
      this.state = { ...loaded, nextId: Math.max(loaded.nextId, firstId) };
    } catch (error) {
      throw new Error(`Cannot read the schema registry store ${file}: ${(error as Error).message}`);
    }
  }

  private save(): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, `${JSON.stringify(this.state, null, 2)}\n`);
    fs.renameSync(temporary, this.file);
  }

  private subject(name: string): Subject {
    const subject = this.state.subjects[name];
    if (!subject || subject.versions.length === 0) throw subjectNotFound(name);
    return subject;
  }

  private typeOf(id: number): Type {
    let type = this.types.get(id);
    if (!type) this.types.set(id, (type = parseSchema(this.state.schemas[id]!)));
    return type;
  }

  subjects(): string[] {
    return Object.keys(this.state.subjects).filter((name) => this.state.subjects[name]!.versions.length > 0).sort();
  }

  versions(subject: string): number[] {
    return this.subject(subject).versions.map((_, i) => i + 1);
  }

  /** One version, or the latest for "latest". */
  version(subject: string, version: number | "latest"): StoredVersion {
    const { versions } = this.subject(subject);
    const number = version === "latest" ? versions.length : version;
    const id = versions[number - 1];
    if (id === undefined) throw versionNotFound(subject, number);
    return { subject, version: number, id, schema: this.state.schemas[id]! };
  }

  schemaById(id: number): string {
    const schema = this.state.schemas[id];
    if (schema === undefined) throw schemaNotFound();
    return schema;
  }

  /** Every (subject, version) that holds this id. */
  usesOf(id: number): Array<{ subject: string; version: number }> {
    this.schemaById(id);
    return this.subjects().flatMap((subject) => this.state.subjects[subject]!.versions.flatMap((held, i) => (held === id ? [{ subject, version: i + 1 }] : [])));
  }

  /** The version of `subject` that holds this schema (404 40401 or 40403 when none does). */
  lookup(subject: string, schema: unknown): StoredVersion {
    const { versions } = this.subject(subject);
    const { text } = canonical(schema);
    const index = versions.findIndex((id) => this.state.schemas[id] === text);
    if (index < 0) throw schemaNotFound();
    return { subject, version: index + 1, id: versions[index]!, schema: text };
  }

  compatibilityOf(subject: string): CompatibilityLevel | undefined {
    return this.state.subjects[subject]?.compatibility;
  }

  globalCompatibility(): CompatibilityLevel {
    return this.state.compatibility;
  }

  setCompatibility(subject: string | null, level: CompatibilityLevel): void {
    if (subject === null) this.state.compatibility = level;
    else this.state.subjects[subject] = { ...(this.state.subjects[subject] ?? { versions: [] }), compatibility: level };
    this.save();
  }

  /** Why `schema` may not be registered after `version` of `subject` (all of them for "latest" at a transitive level). */
  compatibilityProblemsWith(subject: string, version: number | "latest", schema: unknown): string[] {
    const { type } = canonical(schema);
    const chosen = this.version(subject, version);
    const level = this.compatibilityOf(subject) ?? this.state.compatibility;
    const earlier = version === "latest" ? this.versions(subject).map((v) => ({ version: v, schema: this.typeOf(this.version(subject, v).id) })) : [{ version: chosen.version, schema: this.typeOf(chosen.id) }];
    return compatibilityProblems(level, type, earlier);
  }

  /**
   * Registers `schema` under `subject`: the id it already has there when the subject holds it; otherwise a new
   * version, after the subject's compatibility level allows it (409 when not), with the id the same schema has under
   * another subject, or a new one.
   */
  register(subject: string, schema: unknown): { id: number } {
    const { text, type } = canonical(schema);
    const existing = this.state.subjects[subject] ?? { versions: [] };
    const held = existing.versions.find((id) => this.state.schemas[id] === text);
    if (held !== undefined) return { id: held };
    const level = existing.compatibility ?? this.state.compatibility;
    const problems = compatibilityProblems(level, type, existing.versions.map((id, i) => ({ version: i + 1, schema: this.typeOf(id) })));
    if (problems.length > 0) {
      throw new RegistryProblem(409, 409, `Schema being registered is incompatible with an earlier schema for subject "${subject}" (compatibility ${level}), details: ${problems.join("; ")}`);
    }
    let id = Number(Object.keys(this.state.schemas).find((key) => this.state.schemas[key] === text));
    if (!Number.isInteger(id)) {
      id = this.state.nextId++;
      this.state.schemas[id] = text;
      this.types.set(id, type);
    }
    this.state.subjects[subject] = { ...existing, versions: [...existing.versions, id] };
    this.save();
    return { id };
  }

  stats(): { subjects: number; schemas: number } {
    return { subjects: this.subjects().length, schemas: Object.keys(this.state.schemas).length };
  }
}
