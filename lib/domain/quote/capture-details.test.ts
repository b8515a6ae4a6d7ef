import { describe, it } from "node:test";
import {
  CONTACT,
  FAMILY_OF_FOUR,
  QUOTE_ID,
  SAN_FRANCISCO,
  TORONTO,
  aCancelledDraft,
  aDraft,
  aReferredQuote,
  aSubmittedQuote,
  anApprovedQuote,
  contactDetailsCaptured,
  familyDetailsCaptured,
  geographicDetailsCaptured,
  quoteStarted,
} from "./testing/fixtures";
import { given } from "./testing/given-when-then";

describe("capturing the wizard's pages", () => {
  it("captures geographic details on a draft", () => {
    given(aDraft())
      .when({ type: "CaptureGeographicDetails", quoteId: QUOTE_ID, details: SAN_FRANCISCO })
      .then([{ type: "GeographicDetailsCaptured", data: { details: SAN_FRANCISCO } }]);
  });

  it("captures contact details on a draft", () => {
    given(aDraft())
      .when({ type: "CaptureContactDetails", quoteId: QUOTE_ID, details: CONTACT })
      .then([{ type: "ContactDetailsCaptured", data: { details: CONTACT } }]);
  });

  it("captures family details on a draft", () => {
    given(aDraft())
      .when({ type: "CaptureFamilyDetails", quoteId: QUOTE_ID, details: FAMILY_OF_FOUR })
      .then([{ type: "FamilyDetailsCaptured", data: { details: FAMILY_OF_FOUR } }]);
  });

  it("accepts pages in any order", () => {
    given([quoteStarted(), familyDetailsCaptured(), contactDetailsCaptured()])
      .when({ type: "CaptureGeographicDetails", quoteId: QUOTE_ID, details: SAN_FRANCISCO })
      .then([geographicDetailsCaptured(SAN_FRANCISCO)]);
  });

  it("records a new event each time a page is captured again, even with the same details", () => {
    given([quoteStarted(), geographicDetailsCaptured(SAN_FRANCISCO)])
      .when({ type: "CaptureGeographicDetails", quoteId: QUOTE_ID, details: TORONTO })
      .then([geographicDetailsCaptured(TORONTO)]);
    given([quoteStarted(), contactDetailsCaptured(CONTACT)])
      .when({ type: "CaptureContactDetails", quoteId: QUOTE_ID, details: CONTACT })
      .then([contactDetailsCaptured(CONTACT)]);
  });

  it("refuses to change a page after the quote is submitted", () => {
    for (const command of [
      { type: "CaptureGeographicDetails", quoteId: QUOTE_ID, details: TORONTO },
      { type: "CaptureContactDetails", quoteId: QUOTE_ID, details: CONTACT },
      { type: "CaptureFamilyDetails", quoteId: QUOTE_ID, details: FAMILY_OF_FOUR },
    ] as const) {
      given(aSubmittedQuote())
        .when(command)
        .thenFails("QuoteNotDraft", {
          message: "This quote has already been submitted, so its details can no longer be changed.",
        });
    }
  });

  it("refuses to change a page once an agent has decided, saying what happened", () => {
    given(anApprovedQuote())
      .when({ type: "CaptureContactDetails", quoteId: QUOTE_ID, details: CONTACT })
      .thenFails("QuoteNotDraft", { message: /submitted and approved/ });
    given(aReferredQuote())
      .when({ type: "CaptureContactDetails", quoteId: QUOTE_ID, details: CONTACT })
      .thenFails("QuoteNotDraft", { message: /referred for review/ });
  });

  it("refuses to change a page of a withdrawn quote", () => {
    given(aCancelledDraft())
      .when({ type: "CaptureFamilyDetails", quoteId: QUOTE_ID, details: FAMILY_OF_FOUR })
      .thenFails("QuoteCancelled", { message: "This quote has been withdrawn by the customer, so it can't be changed." });
  });
});
