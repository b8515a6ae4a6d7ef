/**
 * A bounds-checked walk over an Avro body, driven by the writer schema, run before avsc decodes it.
 *
 * avsc trusts its input: a corrupt or hostile body with an array block count of, say, 2^31 makes it allocate and
 * fill a 2^31-slot array (reading past the end of the buffer) before it notices the buffer was truncated, which
 * exhausts the heap and kills the process. This walk reads every length, count and index first and rejects the
 * body with a clear EventDecodeError, naming the field, as soon as something cannot fit in the bytes that remain.
 */
import "server-only";
import type { Type } from "avsc";
import { EventDecodeError } from "./errors";

/** Items that can take zero bytes (null, empty records) are capped, since the byte count cannot bound them. */
const MAX_ZERO_SIZE_ITEMS = 100_000;
const MAX_VARINT_BYTES = { int: 5, long: 10 } as const;

// The parts of avsc's types the walk reads (public properties, but only partly typed in avsc's .d.ts).
interface Introspectable {
  readonly typeName: string;
  readonly fields?: ReadonlyArray<{ readonly name: string; readonly type: Type }>;
  readonly itemsType?: Type;
  readonly valuesType?: Type;
  readonly types?: readonly Type[];
  readonly symbols?: readonly string[];
  readonly size?: number;
  readonly underlyingType?: Type;
}

const inspect = (type: Type): Introspectable => type as unknown as Introspectable;

class Walker {
  pos = 0;

  constructor(
    private readonly buf: Buffer,
    private readonly schemaId: number | undefined,
  ) {}

  fail(code: "TRUNCATED_BODY" | "INVALID_BODY" | "TRAILING_BYTES", message: string): never {
    throw new EventDecodeError(code, message, { schemaId: this.schemaId });
  }

  need(bytes: number, path: string): void {
    const remaining = this.buf.length - this.pos;
    if (bytes > remaining) {
      this.fail(
        "TRUNCATED_BODY",
        `Truncated Avro body: ${path || "the value"} needs ${bytes} byte${bytes === 1 ? "" : "s"} at offset ${this.pos} but only ${remaining} remain`,
      );
    }
  }

  /** A zig-zag varint, as a JS number (exact up to 2^53). */
  varint(kind: "int" | "long", path: string): number {
    let raw = 0;
    let scale = 1;
    for (let i = 0; i < MAX_VARINT_BYTES[kind]; i++) {
      this.need(1, path);
      const byte = this.buf[this.pos++]!;
      raw += (byte & 0x7f) * scale;
      scale *= 128;
      if ((byte & 0x80) === 0) {
        if (raw > Number.MAX_SAFE_INTEGER) this.fail("INVALID_BODY", `Invalid Avro body: ${path} is a ${kind} too large to read`);
        const value = raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
        if (kind === "int" && (value < -0x80000000 || value > 0x7fffffff)) {
          this.fail("INVALID_BODY", `Invalid Avro body: ${path} (${value}) does not fit in an Avro int`);
        }
        return value;
      }
    }
    return this.fail("INVALID_BODY", `Invalid Avro body: ${path} is a ${kind} longer than ${MAX_VARINT_BYTES[kind]} bytes`);
  }

  length(path: string): number {
    const n = this.varint("long", path);
    if (n < 0) this.fail("INVALID_BODY", `Invalid Avro body: ${path} has a negative length (${n})`);
    return n;
  }

  skip(bytes: number, path: string): void {
    this.need(bytes, path);
    this.pos += bytes;
  }

  walk(type: Type, path: string): void {
    const t = inspect(type);
    switch (t.typeName) {
      case "null":
        return;
      case "boolean": {
        this.need(1, path);
        const byte = this.buf[this.pos++]!;
        if (byte > 1) this.fail("INVALID_BODY", `Invalid Avro body: ${path} is a boolean byte ${byte}, expected 0 or 1`);
        return;
      }
      case "int":
      case "long":
        this.varint(t.typeName, path);
        return;
      case "float":
        return this.skip(4, path);
      case "double":
        return this.skip(8, path);
      case "string":
      case "bytes":
        return this.skip(this.length(path), path);
      case "fixed":
        return this.skip(t.size ?? 0, path);
      case "enum": {
        const index = this.varint("int", path);
        const symbols = t.symbols ?? [];
        if (index < 0 || index >= symbols.length) {
          this.fail("INVALID_BODY", `Invalid Avro body: ${path} has enum index ${index}, but the enum has ${symbols.length} symbols`);
        }
        return;
      }
      case "union:unwrapped":
      case "union:wrapped": {
        const index = this.varint("long", path);
        const branch = t.types?.[index];
        if (index < 0 || branch === undefined) {
          this.fail("INVALID_BODY", `Invalid Avro body: ${path} has union branch ${index}, but the union has ${t.types?.length ?? 0} branches`);
        }
        return this.walk(branch, path);
      }
      case "record":
      case "error":
        for (const field of t.fields ?? []) this.walk(field.type, path ? `${path}.${field.name}` : field.name);
        return;
      case "array":
        return this.blocks(path, (i) => this.walk(t.itemsType!, `${path}[${i}]`), minimumSize(t.itemsType!));
      case "map":
        return this.blocks(
          path,
          (i) => {
            this.skip(this.length(`${path} key ${i}`), `${path} key ${i}`);
            this.walk(t.valuesType!, `${path}[key ${i}]`);
          },
          1,
        );
      default:
        if (t.typeName.startsWith("logical:") && t.underlyingType) return this.walk(t.underlyingType, path);
        this.fail("INVALID_BODY", `Cannot check ${path}: unsupported Avro type ${t.typeName}`);
    }
  }

  /** Array and map blocks: a count (negative when followed by a byte size), items, ... and a zero count. */
  blocks(path: string, item: (index: number) => void, itemMinimumSize: number): void {
    let index = 0;
    for (;;) {
      let count = this.varint("long", `${path} block count`);
      if (count === 0) return;
      if (count < 0) {
        count = -count;
        this.length(`${path} block size`);
      }
      const remaining = this.buf.length - this.pos;
      if (itemMinimumSize > 0 ? count * itemMinimumSize > remaining : index + count > MAX_ZERO_SIZE_ITEMS) {
        this.fail(
          itemMinimumSize > 0 ? "TRUNCATED_BODY" : "INVALID_BODY",
          `${itemMinimumSize > 0 ? "Truncated" : "Invalid"} Avro body: ${path} claims ${count} more items at offset ${this.pos}, ` +
            `which cannot fit in the ${remaining} bytes that remain`,
        );
      }
      for (let i = 0; i < count; i++) item(index++);
    }
  }
}

/** The fewest bytes a value of the type can take (0 for null, empty records, records of nulls). */
function minimumSize(type: Type): number {
  const t = inspect(type);
  switch (t.typeName) {
    case "null":
      return 0;
    case "float":
      return 4;
    case "double":
      return 8;
    case "fixed":
      return t.size ?? 0;
    case "record":
    case "error":
      return (t.fields ?? []).reduce((sum, field) => sum + minimumSize(field.type), 0);
    default:
      if (t.typeName.startsWith("logical:") && t.underlyingType) return minimumSize(t.underlyingType);
      return 1; // every varint, length, index or block terminator takes at least one byte
  }
}

/**
 * Checks that `body` is exactly one value of `writer`, without decoding it.
 * Throws EventDecodeError TRUNCATED_BODY, TRAILING_BYTES or INVALID_BODY.
 */
export function assertWellFormedBody(writer: Type, body: Buffer, schemaId?: number): void {
  const walker = new Walker(body, schemaId);
  walker.walk(writer, "");
  if (walker.pos !== body.length) {
    const extra = body.length - walker.pos;
    walker.fail("TRAILING_BYTES", `Trailing bytes: the Avro value ends at offset ${walker.pos}, ${extra} byte${extra === 1 ? "" : "s"} before the end of the body`);
  }
}
