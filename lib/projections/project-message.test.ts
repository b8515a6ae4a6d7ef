import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sampleEvents } from "../messaging/avro/test-samples";
import { MessageRejectedError } from "./failure-classification";
import { isQuoteId, projectMessage } from "./project-message";
import { ProjectionGapError, projectQuoteEvent } from "./quote-read-model";

const quoteId = "0b6f3c9e-8d1a-4f63-9a57-00000000a001";
const started = { ...sampleEvents.QuoteStarted, quoteId, data: { quoteId } } as typeof sampleEvents.QuoteStarted;

describe("projectMessage: what one message does, or why it cannot", () => {
  it("applies the next event of the quote named by the key", () => {
    const projected = projectMessage(null, quoteId, () => started);
    assert.notEqual(projected, "redelivery");
    assert.equal(projected !== "redelivery" && projected.model.state.version, 1);
  });

  it("recognises a redelivery", () => {
    const model = projectQuoteEvent(null, started).model;
    assert.equal(projectMessage(model, quoteId, () => started), "redelivery");
  });

  it("refuses a key that is not a quote id, or none, without decoding", () => {
    let decoded = false;
    const decode = () => ((decoded = true), started);
    assert.throws(() => projectMessage(null, "poison-1", decode), (e: Error) => e instanceof MessageRejectedError && /poison-1.*not a quote id/.test(e.message));
    assert.throws(() => projectMessage(null, "", decode), (e: Error) => e instanceof MessageRejectedError && /no key/.test(e.message));
    assert.equal(decoded, false);
  });

  it("refuses an event of another quote than its key", () => {
    const other = "4f1d3c6e-0000-4000-8000-000000000001";
    assert.ok(isQuoteId(other));
    assert.throws(() => projectMessage(null, other, () => started), (e: Error) => e instanceof MessageRejectedError && e.message.includes(quoteId));
  });

  it("refuses an event that does not follow the quote's version (a gap, or no QuoteStarted)", () => {
    assert.throws(() => projectMessage(null, quoteId, () => ({ ...sampleEvents.ContactDetailsCaptured, quoteId, version: 2 })), ProjectionGapError);
  });
});

describe("projectQuoteEvent: a withdrawal", () => {
  it("shows the quote withdrawn (status cancelled), keeps its answers, says who in the timeline and reaches no funnel step", () => {
    const events = [started, sampleEvents.ContactDetailsCaptured, sampleEvents.QuoteCancelled].map((event, index) => ({ ...event, quoteId, version: index + 1 }));
    let model = null as ReturnType<typeof projectQuoteEvent>["model"] | null;
    let last: ReturnType<typeof projectQuoteEvent> | null = null;
    for (const event of events) {
      last = projectQuoteEvent(model, event);
      model = last.model;
    }
    assert.equal(model!.state.status, "cancelled");
    assert.deepEqual(model!.state.contactDetails, sampleEvents.ContactDetailsCaptured.type === "ContactDetailsCaptured" ? sampleEvents.ContactDetailsCaptured.data.details : null);
    assert.equal(last!.timelineEntry.summary, "Withdrawn by the customer");
    assert.deepEqual(last!.timelineEntry.actor, { kind: "customer" });
    assert.deepEqual(last!.reached, [], "the funnel counts steps reached; withdrawing reaches none and undoes none");
    assert.deepEqual(model!.reachedSteps, ["started", "contact"]);
  });
});
