import "server-only";
import { randomUUID } from "node:crypto";
import { foldQuote, initialQuoteState, requote } from "../domain/quote";
import { fail, ok } from "../cqrs/app-error";
import type { Authorize, CommandDefinition } from "../cqrs/bus";
import type { PrismaClient } from "../generated/prisma/client";
import { quoteOnlyPayloadSchema } from "../../schemas/quote-commands";
import { hashAccessToken, hasQuoteAccess, newAccessToken, type AccessPolicy } from "../access/quote-access";
import { IdempotencyReplayError } from "../eventstore/errors";
import { domainErrorToAppError, retentionSchedule, type QuoteCommandDeps } from "./run-quote-command";
import type { StartQuoteResponse } from "./start-quote";

export type RequoteResponse = StartQuoteResponse & { requotedFrom: string };

/**
 * "Start a new quote with these answers" on an expired quote (`quoteId`, which the caller must hold a token for,
 * checked like every customer command): a new quote with a fresh id and access token, begun with the expired
 * quote's answers, its application number requested in the same write, as StartQuote does. The expired quote is
 * left as it is. A repeat with the same Idempotency-Key gets the new quote back only with its token, as StartQuote.
 */
export function requoteQuoteCommand(
  deps: QuoteCommandDeps & { db: PrismaClient; access: AccessPolicy },
  customer: Authorize<{ quoteId: string }>,
): CommandDefinition<{ quoteId: string }, RequoteResponse> {
  return {
    type: "RequoteQuote",
    schema: quoteOnlyPayloadSchema,
    authorize: customer,
    async handle(command) {
      const expiredId = command.payload.quoteId;
      const history = command.metadata.reads ? (await command.metadata.reads()).events : await deps.store.readStream(expiredId);
      const quoteId = randomUUID();
      const decision = requote(foldQuote(history), quoteId);
      if (!decision.ok) return fail(domainErrorToAppError(decision.error));
      const accessToken = newAccessToken();
      const { metadata } = command;
      const now = deps.now();
      const response = { quoteId, version: decision.events.length, requotedFrom: expiredId };
      // A new stream: no one else can have written it, so there is no version race to retry.
      try {
        await deps.store.append(quoteId, 0, decision.events, metadata, {
          now,
          schedule: [{ type: "RequestApplicationNumber", payload: { quoteId } }, ...retentionSchedule(initialQuoteState, foldQuote(decision.events), now, deps.settings)],
          grantAccess: { tokenHash: hashAccessToken(accessToken), kind: "device" },
          idempotency: metadata.idempotency ? { ...metadata.idempotency, response } : undefined,
        });
      } catch (error) {
        if (error instanceof IdempotencyReplayError) return fail({ kind: "conflict", code: "IdempotencyReplay", detail: "This request was already handled." });
        throw error;
      }
      return ok({ ...response, accessToken });
    },
    async replay(stored, command) {
      const first = stored as Omit<RequoteResponse, "accessToken">;
      const token = command.metadata.accessToken;
      if (token && (await hasQuoteAccess(deps.db, first.quoteId, token, deps.access))) return ok({ ...first, accessToken: token });
      return fail({
        kind: "conflict",
        code: "IdempotencyKeyUsed",
        detail: "This quote was already started again with this Idempotency-Key, and the new quote's access token went only to that first request. Use a new key to start another.",
      });
    },
  };
}
