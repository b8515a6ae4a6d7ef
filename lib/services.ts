import { quoteCommandDefinitions } from "./commands/quote-commands";
import { Bus } from "./cqrs/bus";
import { authorizationMiddleware } from "./cqrs/middleware/authorization";
import { idempotencyMiddleware } from "./cqrs/middleware/idempotency";
import { loggingMiddleware } from "./cqrs/middleware/logging";
import { validationMiddleware } from "./cqrs/middleware/validation";
import { prisma } from "./db/prisma";
import { createEventStore } from "./eventstore/event-store";
import type { PrismaClient } from "./generated/prisma/client";
import { createLogger } from "./logging/logger";
import { getFunnel } from "./queries/get-funnel";
import { getQuoteDetails, getQuoteTimeline } from "./queries/get-quote-details";
import { getQuoteForCustomer } from "./queries/get-quote-for-customer";
import { listQuotes } from "./queries/list-quotes";
import { createReadCache, noCache } from "./queries/read-cache";
import { config } from "./config";

/** The composition root: the buses and what they need, built once per process. */
export function createServices(db: PrismaClient, options: { cacheReads?: boolean } = {}) {
  const store = createEventStore(db);
  const cache = options.cacheReads ? createReadCache(config().DATABASE_URL) : noCache;
  const deps = { db, store, cache, now: () => new Date() };
  const { expectedTypes, definitions } = quoteCommandDefinitions(deps);
  const commandBus = new Bus(expectedTypes, definitions, [
    loggingMiddleware(createLogger("commands")),
    validationMiddleware,
    authorizationMiddleware,
    idempotencyMiddleware({ find: (key) => store.findIdempotentResponse(key) }),
  ]);
  const queries = [getQuoteForCustomer(deps), listQuotes(deps), getQuoteDetails(deps), getQuoteTimeline(deps), getFunnel(deps)];
  const queryBus = new Bus(
    queries.map((q) => q.type),
    queries,
    [loggingMiddleware(createLogger("queries")), validationMiddleware, authorizationMiddleware],
  );
  return { db, store, commandBus, queryBus };
}

export type Services = ReturnType<typeof createServices>;

const globalForServices = globalThis as unknown as { services?: Services };

export function services(): Services {
  globalForServices.services ??= createServices(prisma(), { cacheReads: process.env.NEXT_RUNTIME === "nodejs" });
  return globalForServices.services;
}
