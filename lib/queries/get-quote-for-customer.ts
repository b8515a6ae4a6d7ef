import { foldQuote } from "../domain/quote";
import { fail, ok } from "../cqrs/app-error";
import type { QueryDefinition } from "../cqrs/bus";
import type { EventStore } from "../eventstore/event-store";
import type { PrismaClient } from "../generated/prisma/client";
import { quoteOnlyPayloadSchema } from "../../schemas/quote-commands";
import { customerWithAccess } from "../commands/policies";
import { customerQuoteView, type CustomerQuoteView } from "./customer-quote-view";

export function getQuoteForCustomer(deps: { db: PrismaClient; store: EventStore }): QueryDefinition<{ quoteId: string }, CustomerQuoteView> {
  return {
    type: "GetQuoteForCustomer",
    schema: quoteOnlyPayloadSchema,
    authorize: customerWithAccess(deps.db),
    async handle(query) {
      const state = foldQuote(await deps.store.readStream(query.payload.quoteId));
      if (state.status === "none") return fail({ kind: "not_found", detail: `No quote ${query.payload.quoteId}.` });
      return ok(customerQuoteView(state));
    },
  };
}
