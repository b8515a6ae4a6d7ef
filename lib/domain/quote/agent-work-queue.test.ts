import { describe, it } from "node:test";
import type { Actor } from "./actor";
import type { AddQuoteNote, AssignQuote } from "./commands";
import { QUOTE_ID, aDraft, aReferredQuote, aSubmittedQuote, anApprovedQuote, personalDataErased, quoteAssigned } from "./testing/fixtures";
import { AGENT, CUSTOMER, SYSTEM, given } from "./testing/given-when-then";

const asAgent = { actor: AGENT };
const OTHER_AGENT: Actor = { kind: "agent", agentId: "agent-7" };
const addNote = (note: string): AddQuoteNote => ({ type: "AddQuoteNote", quoteId: QUOTE_ID, note });
const assign = (agentId: string): AssignQuote => ({ type: "AssignQuote", quoteId: QUOTE_ID, agentId });

describe("AddQuoteNote", () => {
  it("records the note, trimmed, with its author", () => {
    given(aSubmittedQuote())
      .when(addNote("  Customer asked to be called after 5pm \n"), asAgent)
      .then([{ type: "QuoteNoteAdded", data: { note: "Customer asked to be called after 5pm", agentId: "agent-42" } }]);
  });

  it("notes a quote whatever its status: a draft, a referred or a decided quote", () => {
    for (const history of [aDraft(), aReferredQuote(), anApprovedQuote()]) {
      given(history).when(addNote("Checked"), asAgent).then([{ type: "QuoteNoteAdded", data: { note: "Checked", agentId: "agent-42" } }]);
    }
  });

  it("needs some text", () => {
    given(aSubmittedQuote()).when(addNote("   "), asAgent).thenFails("NoteRequired", { message: "Enter the note's text." });
  });

  it("refuses anyone but an agent, before looking at the quote", () => {
    for (const actor of [CUSTOMER, SYSTEM]) {
      given([]).when(addNote("hi"), { actor }).thenFails("AgentRequired", { message: "Only an agent can add a note to a quote. Sign in as an agent to continue." });
    }
  });

  it("refuses a quote that does not exist", () => {
    given([]).when(addNote("hi"), asAgent).thenFails("QuoteNotFound");
  });

  it("refuses a quote whose personal data was erased: the note could hold more", () => {
    given([...aSubmittedQuote(), personalDataErased()])
      .when(addNote("Their new address is …"), asAgent)
      .thenFails("PersonalDataErased", { message: /no more notes/ });
  });
});

describe("AssignQuote", () => {
  it("assigns an unassigned quote to the agent", () => {
    given(aReferredQuote()).when(assign("agent-42"), asAgent).then([{ type: "QuoteAssigned", data: { agentId: "agent-42" } }]);
  });

  it("takes a quote from another agent ('Assign to me'), or hands it to another agent", () => {
    given([...aSubmittedQuote(), quoteAssigned("agent-7")]).when(assign("agent-42"), asAgent).then([{ type: "QuoteAssigned", data: { agentId: "agent-42" } }]);
    given([...aSubmittedQuote(), quoteAssigned("agent-42")]).when(assign("agent-7"), asAgent).then([{ type: "QuoteAssigned", data: { agentId: "agent-7" } }]);
  });

  it("records nothing when the quote is already the assignee's", () => {
    given([...aSubmittedQuote(), quoteAssigned("agent-42")]).when(assign("agent-42"), asAgent).then([]);
    given([...aSubmittedQuote(), quoteAssigned("agent-7")]).when(assign("agent-7"), { actor: OTHER_AGENT }).then([]);
  });

  it("refuses anyone but an agent, and a quote that does not exist", () => {
    given(aSubmittedQuote()).when(assign("agent-42"), { actor: CUSTOMER }).thenFails("AgentRequired", { message: /assign a quote/ });
    given([]).when(assign("agent-42"), asAgent).thenFails("QuoteNotFound");
  });
});
