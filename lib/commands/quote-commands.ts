import "server-only";
import type { z } from "zod";
import { QUOTE_COMMAND_TYPES, awaitsDecision, type QuoteCommand, type QuoteState } from "../domain/quote";
import type { Authorize, CommandDefinition } from "../cqrs/bus";
import type { PrismaClient } from "../generated/prisma/client";
import {
  applyDataRetentionPayloadSchema,
  addQuoteNotePayloadSchema,
  approveQuotePayloadSchema,
  assignQuotePayloadSchema,
  assignApplicationNumberPayloadSchema,
  captureContactDetailsPayloadSchema,
  captureFamilyDetailsPayloadSchema,
  captureGeographicDetailsPayloadSchema,
  eraseQuotePersonalDataPayloadSchema,
  quoteOnlyPayloadSchema,
  recordApplicationNumberFailurePayloadSchema,
  referQuotePayloadSchema,
  rejectQuotePayloadSchema,
} from "../../schemas/quote-commands";
import { agentOnly, agentOrSystem, customerWithAccess, customerWithAccessOrStaff, systemOnly } from "../access/policies";
import type { AccessPolicy } from "../access/quote-access";
import { requoteQuoteCommand } from "./requote-quote";
import { runQuoteCommand, type QuoteCommandDeps, type QuoteCommandOptions } from "./run-quote-command";
import { retryApplicationNumberCommand } from "./retry-application-number";
import { startQuoteCommand } from "./start-quote";
import { expiryReminderTime, REMIND_QUOTE_EXPIRING } from "../notifications/reactions";

export interface QuoteVersionResponse {
  quoteId: string;
  version: number;
}
export interface SubmitQuoteResponse extends QuoteVersionResponse {
  /** Referred or approved when the underwriting rules decided at submission. */
  status: Extract<QuoteState["status"], "submitted" | "referred" | "approved">;
  premium: QuoteState["premium"];
  validUntil: string | null;
}
export interface DecisionResponse extends QuoteVersionResponse {
  status: QuoteState["status"];
}

type Deps = QuoteCommandDeps & { db: PrismaClient; access: AccessPolicy };

/** A command that maps its payload 1:1 onto the domain command of the same type. */
function quoteCommand<Schema extends z.ZodType<{ quoteId: string }>, Response>(
  deps: Deps,
  type: QuoteCommand["type"],
  schema: Schema,
  authorize: Authorize<z.output<Schema>>,
  respond: (state: QuoteState, version: number) => Response,
  options?: (payload: z.output<Schema>) => QuoteCommandOptions,
): CommandDefinition<z.output<Schema>, Response> {
  return {
    type,
    schema: schema as unknown as z.ZodType<z.output<Schema>>,
    authorize,
    handle: (command) => runQuoteCommand(deps, command, { type, ...command.payload } as QuoteCommand, respond, options ? options(command.payload) : {}),
  };
}

/**
 * A submitted quote still waiting for a decision gets its expiry, durably, in the same write as its events; at
 * submission also the customer's reminder before it ends (lib/notifications/reactions.ts says when).
 */
const scheduleExpiry = (): QuoteCommandOptions => ({
  scheduleAfter: (after, events, now) => {
    if (after.expiresAt === null || !awaitsDecision(after.status)) return [];
    const quoteId = after.quoteId!;
    const expiresAt = new Date(after.expiresAt);
    return [
      { type: "ExpireQuote", payload: { quoteId }, runAfter: expiresAt },
      ...(events.some((event) => event.type === "QuoteSubmitted") ? [{ type: REMIND_QUOTE_EXPIRING, payload: { quoteId }, runAfter: expiryReminderTime(now, expiresAt) }] : []),
    ];
  },
});

const versionOf = (state: QuoteState, version: number): QuoteVersionResponse => ({ quoteId: state.quoteId!, version });
export interface ErasureResponse extends QuoteVersionResponse {
  personalDataErased: true;
}
const erasureOf = (state: QuoteState, version: number): ErasureResponse => ({ quoteId: state.quoteId!, version, personalDataErased: true });
const decisionOf = (state: QuoteState, version: number): DecisionResponse => ({ quoteId: state.quoteId!, version, status: state.status });
export interface AssignmentResponse extends QuoteVersionResponse {
  /** The agent the quote is assigned to now (their id). */
  assignedTo: string;
}
const assignmentOf = (state: QuoteState, version: number): AssignmentResponse => ({ quoteId: state.quoteId!, version, assignedTo: state.assignedTo! });

/** Every command the quote platform handles; the bus checks at start-up that none is missing. */
export function quoteCommandDefinitions(deps: Deps) {
  const customer = customerWithAccess(deps.db, deps.access);
  const definitions = [
    startQuoteCommand(deps),
    quoteCommand(deps, "CaptureGeographicDetails", captureGeographicDetailsPayloadSchema, customer, versionOf),
    quoteCommand(deps, "CaptureContactDetails", captureContactDetailsPayloadSchema, customer, versionOf),
    quoteCommand(deps, "CaptureFamilyDetails", captureFamilyDetailsPayloadSchema, customer, versionOf),
    quoteCommand(deps, "SubmitQuote", quoteOnlyPayloadSchema, customer, (state, version): SubmitQuoteResponse => ({
      quoteId: state.quoteId!,
      version,
      status: state.status as SubmitQuoteResponse["status"],
      premium: state.premium,
      validUntil: state.validUntil,
    }), scheduleExpiry),
    quoteCommand(deps, "CancelQuote", quoteOnlyPayloadSchema, customer, decisionOf),
    quoteCommand(deps, "ExpireQuote", quoteOnlyPayloadSchema, systemOnly, decisionOf),
    requoteQuoteCommand(deps, customer),
    // An agent's retry after a failure, or the platform's own request: queued for the worker, no event yet.
    quoteCommand(deps, "RequestApplicationNumber", quoteOnlyPayloadSchema, agentOrSystem, versionOf, ({ quoteId }) => ({ schedule: [{ type: "RequestApplicationNumber", payload: { quoteId } }] })),
    retryApplicationNumberCommand(deps, customer),
    quoteCommand(deps, "AssignApplicationNumber", assignApplicationNumberPayloadSchema, systemOnly, versionOf),
    quoteCommand(deps, "RecordApplicationNumberFailure", recordApplicationNumberFailurePayloadSchema, systemOnly, versionOf),
    quoteCommand(deps, "ApproveQuote", approveQuotePayloadSchema, agentOnly, decisionOf),
    quoteCommand(deps, "RejectQuote", rejectQuotePayloadSchema, agentOnly, decisionOf),
    quoteCommand(deps, "ReferQuote", referQuotePayloadSchema, agentOnly, decisionOf),
    // The data key is deleted in the same statement as the event: from then on no copy of the events decrypts.
    quoteCommand(deps, "AddQuoteNote", addQuoteNotePayloadSchema, agentOnly, versionOf),
    quoteCommand(deps, "AssignQuote", assignQuotePayloadSchema, agentOnly, assignmentOf),
    quoteCommand(deps, "EraseQuotePersonalData", eraseQuotePersonalDataPayloadSchema, customerWithAccessOrStaff(deps.db, deps.access), erasureOf, () => ({ destroyDataKey: true })),
    quoteCommand(deps, "ApplyDataRetention", applyDataRetentionPayloadSchema, systemOnly, erasureOf, () => ({ destroyDataKey: true })),
  ];
  return { expectedTypes: QUOTE_COMMAND_TYPES, definitions };
}
