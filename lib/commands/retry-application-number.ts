import "server-only";
import { ok, type Result } from "../cqrs/app-error";
import type { Authorize, CommandDefinition } from "../cqrs/bus";
import { idempotencyClaim } from "../cqrs/middleware/idempotency";
import { quoteOnlyPayloadSchema } from "../../schemas/quote-commands";
import { runQuoteCommand, type QuoteCommandDeps } from "./run-quote-command";

export type RetryApplicationNumberOutcome =
  /** A new request is queued; the worker records its outcome as an event after `version`. */
  | { status: "requested"; version: number }
  /** A request is already queued or running (the last one has not failed): nothing to do. */
  | { status: "in_progress"; version: number }
  | { status: "assigned"; version: number };

/**
 * The customer's "Try again" after the application-number request failed: the domain allows it only after a failure,
 * and the new request is queued with the (empty) append as a scheduled command. Its idempotency key is the version
 * the failure left the quote at, taken on the server, so however often the button is pressed (or the action called),
 * one failure queues one new request.
 */
export function retryApplicationNumberCommand(deps: QuoteCommandDeps, authorize: Authorize<{ quoteId: string }>): CommandDefinition<{ quoteId: string }, RetryApplicationNumberOutcome> {
  return {
    type: "RetryApplicationNumber",
    schema: quoteOnlyPayloadSchema,
    authorize,
    async handle(command): Promise<Result<RetryApplicationNumberOutcome>> {
      const { quoteId } = command.payload;
      const history = command.metadata.reads ? (await command.metadata.reads()).events : await deps.store.readStream(quoteId);
      const version = history.length;
      const claimed = { ...command, metadata: { ...command.metadata, idempotency: idempotencyClaim(command, `application-number-retry:${version}`) } };
      const result = await runQuoteCommand(deps, claimed, { type: "RetryApplicationNumber", quoteId }, () => ({ status: "requested" as const, version }), {
        schedule: [{ type: "RequestApplicationNumber", payload: { quoteId } }],
      });
      if (result.ok) return result;
      const { error } = result;
      if (error.kind === "domain" && error.code === "ApplicationNumberAlreadyAssigned") return ok({ status: "assigned", version });
      if (error.kind === "domain" && error.code === "ApplicationNumberPending") return ok({ status: "in_progress", version });
      // Pressed twice at once: the other press holds this failure's key and queued the request.
      if (error.kind === "conflict" && (error.code === "IdempotencyReplay" || error.code === "VersionConflict")) return ok({ status: "in_progress", version });
      return result;
    },
  };
}
