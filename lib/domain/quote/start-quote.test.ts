import { describe, it } from "node:test";
import type { QuoteCommand } from "./commands";
import { QUOTE_ID, aCancelledDraft, aDraft, aSubmittedQuote } from "./testing/fixtures";
import { given } from "./testing/given-when-then";

describe("StartQuote", () => {
  it("starts a quote on a stream that does not exist yet", () => {
    given([])
      .when({ type: "StartQuote", quoteId: QUOTE_ID })
      .then([{ type: "QuoteStarted", data: { quoteId: QUOTE_ID } }]);
  });

  it("refuses to start a quote twice", () => {
    given(aDraft())
      .when({ type: "StartQuote", quoteId: QUOTE_ID })
      .thenFails("QuoteAlreadyExists", { message: "This quote has already been started." });
  });

  it("refuses to restart a submitted or cancelled quote", () => {
    given(aSubmittedQuote()).when({ type: "StartQuote", quoteId: QUOTE_ID }).thenFails("QuoteAlreadyExists");
    given(aCancelledDraft()).when({ type: "StartQuote", quoteId: QUOTE_ID }).thenFails("QuoteAlreadyExists");
  });
});

describe("any command but StartQuote on a quote that does not exist", () => {
  const commands: QuoteCommand[] = [
    {
      type: "CaptureGeographicDetails",
      quoteId: QUOTE_ID,
      details: { country: "US", state: "CA", city: "SF", zipCode: "94103" },
    },
    { type: "CaptureContactDetails", quoteId: QUOTE_ID, details: { email: "a@example.com", phoneNumber: "5550100" } },
    { type: "CaptureFamilyDetails", quoteId: QUOTE_ID, details: { numberOfDependents: 0, childrenNames: [] } },
    { type: "SubmitQuote", quoteId: QUOTE_ID },
    { type: "RequestApplicationNumber", quoteId: QUOTE_ID },
    { type: "AssignApplicationNumber", quoteId: QUOTE_ID, applicationNumber: "APP-1" },
    { type: "RecordApplicationNumberFailure", quoteId: QUOTE_ID, reason: "timeout" },
    { type: "CancelQuote", quoteId: QUOTE_ID },
  ];

  for (const command of commands) {
    it(`refuses ${command.type} with QuoteNotFound`, () => {
      given([])
        .when(command)
        .thenFails("QuoteNotFound", { message: "We couldn't find this quote. Check the link, or start a new quote." });
    });
  }

  for (const type of ["ApproveQuote", "RejectQuote", "ReferQuote"] as const) {
    it(`refuses ${type} from an agent with QuoteNotFound`, () => {
      given([])
        .when({ type, quoteId: QUOTE_ID, reason: "x" }, { actor: { kind: "agent", agentId: "agent-1" } })
        .thenFails("QuoteNotFound");
    });
  }
});
