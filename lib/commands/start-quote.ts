import { randomUUID } from "node:crypto";
import type { CommandDefinition } from "../cqrs/bus";
import type { PrismaClient } from "../generated/prisma/client";
import { startQuotePayloadSchema } from "../../schemas/quote-commands";
import { anyone } from "../access/policies";
import { hashAccessToken, newAccessToken } from "../access/quote-access";
import { runQuoteCommand, type QuoteCommandDeps } from "./run-quote-command";

export interface StartQuoteResponse {
  quoteId: string;
  version: number;
  accessToken: string;
}

/**
 * A new quote with a fresh id and access token. The application number is requested in the same transaction
 * (a durable scheduled command), so the customer never waits on the external service.
 */
export function startQuoteCommand(deps: QuoteCommandDeps & { db: PrismaClient }): CommandDefinition<Record<string, never>, StartQuoteResponse> {
  return {
    type: "StartQuote",
    schema: startQuotePayloadSchema,
    authorize: anyone,
    async handle(command) {
      const quoteId = randomUUID();
      const accessToken = newAccessToken();
      return runQuoteCommand(
        deps,
        { ...command, payload: { quoteId } },
        { type: "StartQuote", quoteId },
        (_state, version) => ({ quoteId, version, accessToken }),
        {
          schedule: [{ type: "RequestApplicationNumber", payload: { quoteId } }],
          alsoWrite: (tx) => tx.quoteAccess.create({ data: { quoteId, tokenHash: hashAccessToken(accessToken) } }),
        },
      );
    },
  };
}
