import "server-only";
import { hashAccessToken, isQuoteId, isWellFormedAccessRequest } from "../access/quote-access";
import type { Middleware } from "../cqrs/bus";
import { idempotencyClaim } from "../cqrs/middleware/idempotency";
import type { CommandReads, EventStore } from "../eventstore/event-store";

/**
 * Gives a command about one quote a single read for everything its middleware and handler ask before deciding:
 * the caller's access token, the idempotency key's record and the quote's stream come back from one statement,
 * made the first time any of them is asked for. A refused caller's read is discarded unseen.
 */
export function commandReadsMiddleware(store: EventStore): Middleware {
  return (command, _definition, next) => {
    const quoteId = (command.payload as { quoteId?: unknown } | null)?.quoteId;
    const { accessToken, idempotencyKey } = command.metadata;
    if (!isQuoteId(quoteId)) return next(command);
    let loaded: Promise<CommandReads> | undefined;
    const reads = () =>
      (loaded ??= store.readForCommand(quoteId, {
        tokenHash: isWellFormedAccessRequest(quoteId, accessToken) ? hashAccessToken(accessToken) : undefined,
        idempotency: idempotencyKey ? idempotencyClaim(command, idempotencyKey) : undefined,
      }));
    return next({ ...command, metadata: { ...command.metadata, reads } });
  };
}
