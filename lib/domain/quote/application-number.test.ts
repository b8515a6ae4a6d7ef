import { describe, it } from "node:test";
import {
  QUOTE_ID,
  aCancelledDraft,
  aDraft,
  aRejectedQuote,
  aSubmittedQuote,
  anApprovedQuote,
  applicationNumberAssigned,
  applicationNumberRequestFailed,
} from "./testing/fixtures";
import { SYSTEM, given } from "./testing/given-when-then";

const request = { type: "RequestApplicationNumber", quoteId: QUOTE_ID } as const;
const assign = (applicationNumber: string) =>
  ({ type: "AssignApplicationNumber", quoteId: QUOTE_ID, applicationNumber }) as const;
const fail = (reason: string) => ({ type: "RecordApplicationNumberFailure", quoteId: QUOTE_ID, reason }) as const;

describe("RequestApplicationNumber", () => {
  it("is allowed on a quote with no number, and records nothing (the request is queued elsewhere)", () => {
    given(aSubmittedQuote()).when(request).then([]);
    given(aDraft()).when(request).then([]);
  });

  it("is allowed again after a failure: the agent's retry", () => {
    given([...aSubmittedQuote(), applicationNumberRequestFailed()]).when(request).then([]);
  });

  it("is refused once a number is assigned", () => {
    given([...aSubmittedQuote(), applicationNumberAssigned("APP-777")])
      .when(request)
      .thenFails("ApplicationNumberAlreadyAssigned", {
        message: "This quote already has application number APP-777.",
      });
  });
});

describe("RetryApplicationNumber (the customer's \"Try again\")", () => {
  const retry = { type: "RetryApplicationNumber", quoteId: QUOTE_ID } as const;

  it("is allowed after a failure, and records nothing (the new request is queued elsewhere)", () => {
    given([...aDraft(), applicationNumberRequestFailed()]).when(retry).then([]);
  });

  it("is refused while a request is still running: no failure to try again after", () => {
    given(aDraft()).when(retry).thenFails("ApplicationNumberPending");
  });

  it("is refused once a number is assigned, also after an earlier failure", () => {
    given([...aDraft(), applicationNumberRequestFailed(), applicationNumberAssigned("APP-778")]).when(retry).thenFails("ApplicationNumberAlreadyAssigned");
  });

  it("is refused for a quote that does not exist", () => {
    given([]).when(retry).thenFails("QuoteNotFound");
  });
});

describe("AssignApplicationNumber", () => {
  it("records the number", () => {
    given(aSubmittedQuote())
      .when(assign("APP-1"), { actor: SYSTEM })
      .then([{ type: "ApplicationNumberAssigned", data: { applicationNumber: "APP-1" } }]);
  });

  it("records the number after an earlier failure", () => {
    given([...aSubmittedQuote(), applicationNumberRequestFailed()])
      .when(assign("APP-2"), { actor: SYSTEM })
      .then([applicationNumberAssigned("APP-2")]);
  });

  it("is accepted in any status once the quote exists (the service may answer late)", () => {
    for (const history of [aDraft(), aSubmittedQuote(), anApprovedQuote(), aRejectedQuote(), aCancelledDraft()]) {
      given(history).when(assign("APP-3"), { actor: SYSTEM }).then([applicationNumberAssigned("APP-3")]);
    }
  });

  it("is refused a second time, even with the same number", () => {
    given([...aSubmittedQuote(), applicationNumberAssigned("APP-1")])
      .when(assign("APP-9"), { actor: SYSTEM })
      .thenFails("ApplicationNumberAlreadyAssigned", { message: /APP-1/ });
    given([...aSubmittedQuote(), applicationNumberAssigned("APP-1")])
      .when(assign("APP-1"), { actor: SYSTEM })
      .thenFails("ApplicationNumberAlreadyAssigned");
  });
});

describe("RecordApplicationNumberFailure", () => {
  it("records the failure with its reason", () => {
    given(aSubmittedQuote())
      .when(fail("Timed out after 3 attempts"), { actor: SYSTEM })
      .then([{ type: "ApplicationNumberRequestFailed", data: { reason: "Timed out after 3 attempts" } }]);
  });

  it("records repeated failures", () => {
    given([...aSubmittedQuote(), applicationNumberRequestFailed("first")])
      .when(fail("second"), { actor: SYSTEM })
      .then([applicationNumberRequestFailed("second")]);
  });

  it("is refused once a number is assigned", () => {
    given([...aSubmittedQuote(), applicationNumberAssigned("APP-1")])
      .when(fail("late failure"), { actor: SYSTEM })
      .thenFails("ApplicationNumberAlreadyAssigned");
  });
});
