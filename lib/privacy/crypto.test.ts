import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import pino from "pino";
import { Writable } from "node:stream";
import { ERASED } from "../domain/quote/personal-data";
import * as fixtures from "../domain/quote/testing/fixtures";
import { PERSONAL_DATA_REDACT_PATHS } from "../logging/logger";
import { openEvent, sealEvent } from "./event-sealing";
import { decryptField, encryptField, newDataKey } from "./field-cipher";
import { KeyUnwrapError, localKeyEncryptionKey, parseKeyEncryptionKey } from "./key-encryption-key";
import { isSealed } from "./sealed-value";

const QUOTE = "6f1c1f0e-4a51-4b57-9d3e-0d6c2b1f9a10";
const OTHER_QUOTE = "0b6f3c9e-8d1a-4f63-9a57-000000000001";

describe("field cipher (AES-256-GCM under a quote's data key)", () => {
  it("given a value, when encrypted and decrypted with the same key and quote, then it comes back, and the bytes differ each time", () => {
    const key = newDataKey();
    const a = encryptField(key, "ada@example.com", QUOTE);
    const b = encryptField(key, "ada@example.com", QUOTE);
    assert.notDeepEqual(a, b, "a fresh IV each time");
    assert.ok(!a.includes(Buffer.from("ada@example.com")));
    assert.equal(decryptField(key, a, QUOTE), "ada@example.com");
  });

  it("given a ciphertext, when decrypted with another key, under another quote id, or after a bit flipped, then it fails", () => {
    const key = newDataKey();
    const sealed = encryptField(key, "Grace", QUOTE);
    assert.throws(() => decryptField(newDataKey(), sealed, QUOTE), /does not decrypt/);
    assert.throws(() => decryptField(key, sealed, OTHER_QUOTE), /does not decrypt/);
    const flipped = Buffer.from(sealed);
    flipped[flipped.length - 1]! ^= 1;
    assert.throws(() => decryptField(key, flipped, QUOTE), /does not decrypt/);
    assert.throws(() => decryptField(key, Buffer.from("plain"), QUOTE), /not an encrypted field/);
  });
});

describe("key-encryption key (wraps data keys)", () => {
  it("given a data key, when wrapped and unwrapped for the same quote, then it is the same key", async () => {
    const kek = localKeyEncryptionKey(randomBytes(32));
    const dataKey = newDataKey();
    const wrapped = await kek.wrap(dataKey, QUOTE);
    assert.deepEqual(await kek.unwrap(wrapped, QUOTE), dataKey);
    assert.match(kek.id, /^local:[0-9a-f]{16}$/);
  });

  it("given a wrapped key, when unwrapped by another key or for another quote, then it is refused", async () => {
    const kek = localKeyEncryptionKey(randomBytes(32));
    const wrapped = await kek.wrap(newDataKey(), QUOTE);
    await assert.rejects(localKeyEncryptionKey(randomBytes(32)).unwrap(wrapped, QUOTE), KeyUnwrapError);
    await assert.rejects(kek.unwrap(wrapped, OTHER_QUOTE), KeyUnwrapError);
  });

  it("reads a key as 64 hex digits or base64 of 32 bytes, and nothing else", () => {
    const bytes = randomBytes(32);
    assert.deepEqual(parseKeyEncryptionKey(bytes.toString("hex")), bytes);
    assert.deepEqual(parseKeyEncryptionKey(bytes.toString("base64")), bytes);
    assert.deepEqual(parseKeyEncryptionKey(bytes.toString("base64url")), bytes);
    assert.equal(parseKeyEncryptionKey("too short"), null);
    assert.equal(parseKeyEncryptionKey(randomBytes(16).toString("hex")), null);
  });
});

describe("sealing events at the store boundary", () => {
  const recorded = <E extends { type: string; data: unknown }>(event: E) => ({ ...event, quoteId: QUOTE });

  it("given captured details, when sealed, then only the personal values are encrypted; when opened with the key, then the event is as it was", () => {
    const key = newDataKey();
    for (const event of [fixtures.geographicDetailsCaptured(fixtures.TORONTO), fixtures.contactDetailsCaptured(), fixtures.familyDetailsCaptured()].map(recorded)) {
      const sealed = sealEvent(event, key, QUOTE);
      assert.ok(!JSON.stringify(sealed).includes("Toronto") && !JSON.stringify(sealed).includes("@"), "no plain personal value");
      assert.deepEqual(openEvent(sealed, key), event);
    }
    const geographic = sealEvent(recorded(fixtures.geographicDetailsCaptured(fixtures.TORONTO)), key, QUOTE).data as { details: Record<string, unknown> };
    assert.deepEqual([geographic.details.country, geographic.details.state], ["CA", "ON"], "country and state stay readable");
    assert.ok(isSealed(geographic.details.city) && isSealed(geographic.details.zipCode));
  });

  it("given a sealed event, when opened without a key (erased), then every personal value reads ERASED and the rest stays", () => {
    const sealed = sealEvent(recorded(fixtures.familyDetailsCaptured({ numberOfDependents: 3, spouseName: "Grace", childrenNames: ["Alan", "Barbara"] })), newDataKey(), QUOTE);
    assert.deepEqual(openEvent(sealed, null).data, { details: { numberOfDependents: 3, spouseName: ERASED, childrenNames: [ERASED, ERASED] } });
  });

  it("given an event stored before encryption (plain values), when opened, then it reads as stored; other events are untouched", () => {
    const plain = recorded(fixtures.contactDetailsCaptured());
    assert.deepEqual(openEvent(plain, null), plain);
    const submitted = recorded(fixtures.quoteSubmitted());
    assert.deepEqual(sealEvent(submitted, newDataKey(), QUOTE), submitted);
  });
});

describe("logs", () => {
  it("given a line that carries a command's payload or details, when written, then no personal value is in it", () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) });
    const log = pino({ redact: { paths: PERSONAL_DATA_REDACT_PATHS, censor: "[redacted]" } }, sink);
    log.info({ payload: { quoteId: QUOTE, details: { email: "ada@example.com", phoneNumber: "+1 415 555 0100" } } }, "command");
    log.info({ details: { city: "Toronto", zipCode: "M5V 2T6", country: "CA" }, data: { details: { spouseName: "Grace", childrenNames: ["Alan"] } } }, "event");
    const text = lines.join("");
    for (const secret of ["ada@example.com", "555 0100", "Toronto", "M5V", "Grace", "Alan"]) assert.ok(!text.includes(secret), `${secret} redacted`);
    assert.ok(text.includes(QUOTE) && text.includes('"country":"CA"'), "the rest is logged");
  });
});
