import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Message } from "kafkajs";
import { startPublishSpans } from "./relay-tracing";

describe("relay tracing", () => {
  it("adds no header and starts no span for rows without a trace context", () => {
    const messages: Message[] = [
      { key: "a", value: Buffer.from("1") },
      { key: "b", value: Buffer.from("2") },
    ];
    assert.equal(startPublishSpans(messages, [null, null]), null);
    assert.deepEqual(messages.map((m) => m.headers), [undefined, undefined]);
  });
});
