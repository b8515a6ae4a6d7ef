/**
 * A customer's "Try again" after the application-number request failed for good.
 *
 * RequestApplicationNumber is an agent/system command on the bus (a customer cannot queue work for the worker
 * directly). This helper is the one narrow door for customers: it checks the customer's access to the quote
 * (`hasQuoteAccess`, the same check as every customer command), then issues the command as the platform itself,
 * actor `{ kind: "system", name: "customer-retry" }`, so the timeline shows who asked. It only asks when the
 * last request has failed, and its idempotency key is tied to the quote's version, so however many times the
 * button is pressed, one failure allows one new request.
 */
import "server-only";
import { foldQuote } from "../domain/quote";
import { fail, ok, type Result } from "../cqrs/app-error";
import { hasQuoteAccess } from "../access/quote-access";
import { message } from "../cqrs/message";
import { services } from "../services";
import { quoteIdSchema } from "../../schemas/quote-commands";

export type RetryApplicationNumberOutcome =
  /** A new request is queued; the worker records its outcome as an event after `version`. */
  | { status: "requested"; version: number }
  /** A request is already queued or running (the last one has not failed): nothing to do. */
  | { status: "in_progress"; version: number }
  | { status: "assigned"; version: number; applicationNumber: string };

export async function retryApplicationNumberForCustomer(quoteId: string, accessToken: string | undefined): Promise<Result<RetryApplicationNumberOutcome>> {
  const { db, store, access, commandBus } = services();
  if (!quoteIdSchema.safeParse(quoteId).success || !(await hasQuoteAccess(db, quoteId, accessToken, access))) {
    return fail({ kind: "not_found", detail: "We couldn't find this quote. Check the link, or start a new quote." });
  }
  // The write side's own state: this decides whether a request may be queued, like any command handler does.
  const state = foldQuote(await store.readStream(quoteId));
  if (state.applicationNumber) return ok({ status: "assigned", version: state.version, applicationNumber: state.applicationNumber });
  if (!state.applicationNumberFailed) return ok({ status: "in_progress", version: state.version });

  const result = await commandBus.execute<{ version: number }>(
    message("RequestApplicationNumber", { quoteId }, { actor: { kind: "system", name: "customer-retry" }, idempotencyKey: `customer-retry:${quoteId}:${state.version}` }),
  );
  if (!result.ok) {
    if (result.error.kind === "domain" && result.error.code === "ApplicationNumberAlreadyAssigned") return ok({ status: "in_progress", version: state.version });
    return result;
  }
  return ok({ status: "requested", version: state.version });
}
