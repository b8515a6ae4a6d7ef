import "server-only";
import { ok } from "../cqrs/app-error";
import type { QueryDefinition } from "../cqrs/bus";
import type { PrismaClient } from "../generated/prisma/client";
import type { RecordedEvent } from "../domain/quote";
import type { EventStore } from "../eventstore/event-store";
import { getQuoteTimelinePayloadSchema } from "../../schemas/queries";
import { customerWithAccess } from "../access/policies";
import type { AccessPolicy } from "../access/quote-access";
import { liveReadModels } from "./read-models";
import { customerView } from "./quote-views";
import type { CustomerQuoteView } from "./customer-quote-view";

/** Everything the platform holds about the customer for one quote: the quote as shown, and every recorded event. */
export interface PersonalDataExport {
  quoteId: string;
  exportedAt: string;
  personalDataErased: boolean;
  quote: Omit<CustomerQuoteView, "stale"> | null;
  events: Array<Pick<RecordedEvent, "type" | "data" | "version" | "occurredAt" | "actor">>;
}

/** The customer's download of their data: the events decrypted from the store (ERASED once erased), and the read model. */
export function exportPersonalData(deps: { db: PrismaClient; store: EventStore; access: AccessPolicy }): QueryDefinition<{ quoteId: string }, PersonalDataExport> {
  return {
    type: "ExportPersonalData",
    schema: getQuoteTimelinePayloadSchema,
    authorize: customerWithAccess(deps.db, deps.access),
    async handle({ payload }) {
      const [events, row] = await Promise.all([
        deps.store.readStream(payload.quoteId),
        liveReadModels(deps.db).then((readModels) => readModels.quoteDetails.findUnique({ where: { quoteId: payload.quoteId } })),
      ]);
      const quote = row ? withoutFreshness(customerView(row, false)) : null;
      return ok({
        quoteId: payload.quoteId,
        exportedAt: new Date().toISOString(),
        personalDataErased: events.some((event) => event.type === "PersonalDataErased"),
        quote,
        events: events.map(({ type, data, version, occurredAt, actor }) => ({ type, data, version, occurredAt, actor }) as PersonalDataExport["events"][number]),
      });
    },
  };
}

function withoutFreshness(view: CustomerQuoteView): Omit<CustomerQuoteView, "stale"> {
  const copy: Partial<CustomerQuoteView> = { ...view };
  delete copy.stale;
  return copy as Omit<CustomerQuoteView, "stale">;
}
