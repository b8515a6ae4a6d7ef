import assert from "node:assert/strict";
import { describe, test } from "node:test";
import avro from "avsc";
import { EventDecodeError } from "./errors";
import { HEADER_SIZE, MAX_SCHEMA_ID, decodeHeader, encode, encodeHeader } from "./wire-format";

const point = avro.Type.forSchema({ type: "record", name: "Point", fields: [{ name: "x", type: "int" }, { name: "label", type: "string" }] });

const decodeError = (code: string, message: RegExp) => (error: unknown) =>
  error instanceof EventDecodeError && error.code === code && message.test(error.message);

describe("Confluent wire format", () => {
  test("the header is magic byte 0 then the schema id, 4 bytes big-endian", () => {
    assert.deepEqual([...encodeHeader(1)], [0, 0, 0, 0, 1]);
    assert.deepEqual([...encodeHeader(12)], [0, 0, 0, 0, 12]);
    assert.deepEqual([...encodeHeader(0x01020304)], [0, 1, 2, 3, 4]);
    assert.deepEqual([...encodeHeader(MAX_SCHEMA_ID)], [0, 0x7f, 0xff, 0xff, 0xff]);
  });

  test("encode frames the Avro binary body after the header", () => {
    const message = encode(258, point, { x: -3, label: "hi" });
    assert.deepEqual([...message.subarray(0, HEADER_SIZE)], [0, 0, 0, 1, 2]);
    assert.deepEqual(message.subarray(HEADER_SIZE), point.toBuffer({ x: -3, label: "hi" }));
    // -3 zig-zags to 5; "hi" is length 2 (zig-zag 4) then its bytes
    assert.deepEqual([...message.subarray(HEADER_SIZE)], [5, 4, 0x68, 0x69]);
  });

  test("decodeHeader gives back the id and a view of the body", () => {
    const message = encode(258, point, { x: 7, label: "" });
    const { schemaId, body } = decodeHeader(message);
    assert.equal(schemaId, 258);
    assert.deepEqual(point.fromBuffer(body), point.fromBuffer(point.toBuffer({ x: 7, label: "" })));
    assert.equal(body.buffer, message.buffer, "no copy");
  });

  test("decodeHeader accepts a plain Uint8Array", () => {
    const message = new Uint8Array(encode(9, point, { x: 1, label: "a" }));
    assert.equal(decodeHeader(message).schemaId, 9);
  });

  test("a header with an empty body is accepted here (the body is the codec's business)", () => {
    assert.equal(decodeHeader(Buffer.from([0, 0, 0, 0, 3])).body.length, 0);
  });

  test("an id that is not a 31-bit unsigned integer is refused", () => {
    for (const id of [-1, 1.5, MAX_SCHEMA_ID + 1, Number.NaN]) assert.throws(() => encodeHeader(id), RangeError);
  });

  test("a value that does not fit the schema is refused", () => {
    assert.throws(() => encode(1, point, { x: "one", label: "a" }), /invalid/);
  });
});

describe("decodeHeader errors", () => {
  test("a tombstone (null value)", () => {
    assert.throws(() => decodeHeader(null), decodeError("TOO_SHORT", /^Empty message \(a tombstone\?\): expected at least 5 bytes/));
  });

  test("an empty buffer", () => {
    assert.throws(() => decodeHeader(Buffer.alloc(0)), decodeError("TOO_SHORT", /^Empty message: expected at least 5 bytes/));
  });

  test("a buffer shorter than the header", () => {
    assert.throws(() => decodeHeader(Buffer.from([0, 0, 1])), decodeError("TOO_SHORT", /^Message too short: 3 bytes, but the header .* needs 5/));
    assert.throws(() => decodeHeader(Buffer.from([0])), decodeError("TOO_SHORT", /1 byte,/));
  });

  test("a wrong magic byte", () => {
    assert.throws(() => decodeHeader(Buffer.from([1, 0, 0, 0, 1, 2])), decodeError("BAD_MAGIC_BYTE", /^Bad magic byte: the first byte is 0x01, expected 0x00/));
  });

  test("JSON instead of Avro", () => {
    assert.throws(() => decodeHeader(Buffer.from('{"type":"QuoteStarted"}')), decodeError("BAD_MAGIC_BYTE", /0x7b \('\{': this looks like JSON\)/));
  });

  test("a wrong magic byte is reported even when the buffer is also short", () => {
    assert.throws(() => decodeHeader(Buffer.from([0xff])), decodeError("BAD_MAGIC_BYTE", /0xff/));
  });
});
