import "server-only";
import { ok } from "../cqrs/app-error";
import type { QueryDefinition } from "../cqrs/bus";
import type { PrismaClient } from "../generated/prisma/client";
import { getQuotePayloadSchema } from "../../schemas/queries";
import { customerWithAccess } from "../access/policies";
import type { AccessPolicy } from "../access/quote-access";
import type { CustomerQuoteView } from "./customer-quote-view";
import { customerView } from "./quote-views";
import { liveReadModels, waitForQuoteVersion } from "./read-models";

/** The quote as its customer sees it, from the projection; with `minVersion`, waits for the customer's own write. */
export function getQuoteForCustomer(deps: { db: PrismaClient; access: AccessPolicy }): QueryDefinition<{ quoteId: string; minVersion?: number }, CustomerQuoteView> {
  return {
    type: "GetQuoteForCustomer",
    schema: getQuotePayloadSchema,
    authorize: customerWithAccess(deps.db, deps.access),
    async handle({ payload }) {
      const readModels = await liveReadModels(deps.db);
      // The token proves the quote exists, so a missing row only means the projection has not caught up yet.
      const fresh = await waitForQuoteVersion(readModels, payload.quoteId, payload.minVersion ?? 1);
      const row = await readModels.quoteDetails.findUnique({ where: { quoteId: payload.quoteId } });
      if (!row) return ok(pendingView(payload.quoteId));
      return ok(customerView(row, !fresh));
    },
  };
}

function pendingView(quoteId: string): CustomerQuoteView {
  return {
    quoteId,
    version: 0,
    status: "draft",
    geographicDetails: null,
    contactDetails: null,
    familyDetails: null,
    premium: null,
    validUntil: null,
    applicationNumber: null,
    applicationNumberStatus: "pending",
    decision: null,
    personalDataErased: false,
    stale: true,
  };
}
