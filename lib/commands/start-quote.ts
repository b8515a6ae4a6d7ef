import "server-only";
import { randomUUID } from "node:crypto";
import { fail, ok } from "../cqrs/app-error";
import type { CommandDefinition } from "../cqrs/bus";
import type { PrismaClient } from "../generated/prisma/client";
import { startQuotePayloadSchema } from "../../schemas/quote-commands";
import { anyone } from "../access/policies";
import { hashAccessToken, hasQuoteAccess, newAccessToken, type AccessPolicy } from "../access/quote-access";
import { runQuoteCommand, type QuoteCommandDeps } from "./run-quote-command";

export interface StartQuoteResponse {
  quoteId: string;
  version: number;
  accessToken: string;
}

/**
 * A new quote with a fresh id and access token. The application number is requested in the same transaction
 * (a durable scheduled command), so the customer never waits on the external service. An idempotency record keeps
 * only the quote id and version: a repeat gets the token back only when it already holds it.
 */
export function startQuoteCommand(deps: QuoteCommandDeps & { db: PrismaClient; access: AccessPolicy }): CommandDefinition<Record<string, never>, StartQuoteResponse> {
  return {
    type: "StartQuote",
    schema: startQuotePayloadSchema,
    authorize: anyone,
    async handle(command) {
      const quoteId = randomUUID();
      const accessToken = newAccessToken();
      const result = await runQuoteCommand(
        deps,
        { ...command, payload: { quoteId } },
        { type: "StartQuote", quoteId },
        (_state, version) => ({ quoteId, version }),
        {
          schedule: [{ type: "RequestApplicationNumber", payload: { quoteId } }],
          grantAccess: { tokenHash: hashAccessToken(accessToken), kind: "device" },
          createDataKey: true,
        },
      );
      return result.ok ? ok({ ...result.value, accessToken }) : result;
    },
    async replay(stored, command) {
      const first = stored as { quoteId: string; version: number };
      const token = command.metadata.accessToken;
      if (token && (await hasQuoteAccess(deps.db, first.quoteId, token, deps.access))) return ok({ ...first, accessToken: token });
      return fail({
        kind: "conflict",
        code: "IdempotencyKeyUsed",
        detail: "A quote was already started with this Idempotency-Key, and its access token went only to that first request. Send that token as a Bearer token to get this answer again, or use a new key to start another quote.",
      });
    },
  };
}
