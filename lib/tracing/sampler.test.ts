import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ROOT_CONTEXT, SpanKind } from "@opentelemetry/api";
import { SamplingDecision } from "@opentelemetry/sdk-trace-base";
import { AppSampler, UNRECORDED_SPAN_NAMES } from "./sampler";

const TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
const decide = (name: string) => new AppSampler().shouldSample(ROOT_CONTEXT, TRACE_ID, name, SpanKind.INTERNAL, {}, []).decision;

describe("which spans are recorded", () => {
  it("keeps the request's, the command's and the append's spans", () => {
    for (const name of ["PUT /api/quotes/[quoteId]/contact-details", "executing api route (app) /api/quotes/[quoteId]/contact-details", "command CaptureContactDetails", "eventstore append", "send quote-events"]) {
      assert.equal(decide(name), SamplingDecision.RECORD_AND_SAMPLED, name);
    }
  });

  it("does not record Next's spans of loading a route's modules", () => {
    for (const name of UNRECORDED_SPAN_NAMES) assert.equal(decide(name), SamplingDecision.NOT_RECORD, name);
  });
});
