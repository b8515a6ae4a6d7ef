import "server-only";
import { accessCommandDefinitions } from "./access/access-commands";
import { commandReadsMiddleware } from "./commands/command-reads-middleware";
import { bulkDecideQuotesCommand } from "./commands/bulk-decide-quotes";
import { quoteCommandDefinitions } from "./commands/quote-commands";
import { Bus } from "./cqrs/bus";
import { authorizationMiddleware } from "./cqrs/middleware/authorization";
import { idempotencyMiddleware } from "./cqrs/middleware/idempotency";
import { loggingMiddleware } from "./cqrs/middleware/logging";
import { tracingMiddleware } from "./cqrs/middleware/tracing";
import { metricsMiddleware } from "./cqrs/middleware/metrics";
import { processCommandHistory, type CommandHistory } from "./observability/command-history";
import { metrics } from "./observability/metrics";
import { postgresRateLimiter } from "./cqrs/middleware/postgres-rate-limiter";
import { QUOTE_START_COUNTERS_TABLE, QUOTE_START_WINDOW_SECONDS, quoteStartThrottleMiddleware, type RateLimiter } from "./cqrs/middleware/quote-start-throttle";
import { validationMiddleware } from "./cqrs/middleware/validation";
import { prisma } from "./db/prisma";
import { createEventStore, type EventStore } from "./eventstore/event-store";
import type { AccessPolicy } from "./access/quote-access";
import type { PrismaClient } from "./generated/prisma/client";
import { createLogger } from "./logging/logger";
import { drainWorkerCommand, getWorkerStatus } from "./worker/worker-operations";
import { getCommandBatch } from "./queries/get-command-batch";
import { getFunnel } from "./queries/get-funnel";
import { getSystemOverview } from "./queries/get-system-overview";
import { getQuoteDetails, getQuoteTimeline } from "./queries/get-quote-details";
import { getQuoteForCustomer } from "./queries/get-quote-for-customer";
import { exportPersonalData } from "./queries/export-personal-data";
import { listParkedMessages } from "./queries/list-parked-messages";
import { listQuotes } from "./queries/list-quotes";
import { exportQuotes } from "./queries/export-quotes";
import { createReadCache, noCache } from "./queries/read-cache";
import { config } from "./config";
import type { QuoteSettings } from "./domain/quote";

/**
 * The command bus with its middleware, in order. Built from its parts so that unit tests can give it an in-memory
 * event store and rate limiter.
 */
export function createCommandBus(deps: { db: PrismaClient; databaseUrl: string; store: EventStore; access: AccessPolicy; now: () => Date; settings?: QuoteSettings; quoteStartLimiter: RateLimiter; commandHistory?: CommandHistory; idempotencyTtlHours?: number }): Bus {
  const quoteCommands = quoteCommandDefinitions(deps);
  const accessCommands = accessCommandDefinitions(deps);
  const drain = drainWorkerCommand(deps);
  const bulkDecide = bulkDecideQuotesCommand(deps);
  return new Bus([...quoteCommands.expectedTypes, ...accessCommands.expectedTypes, drain.type, bulkDecide.type], [...quoteCommands.definitions, ...accessCommands.definitions, drain, bulkDecide], [
    tracingMiddleware("command"),
    loggingMiddleware(createLogger("commands")),
    metricsMiddleware(metrics().commandDuration, deps.commandHistory),
    commandReadsMiddleware(deps.store),
    // Access before validation: a caller without access learns nothing about the quote or their body.
    authorizationMiddleware,
    validationMiddleware,
    idempotencyMiddleware({ find: (scope, key) => deps.store.findIdempotentResult(scope, key) }),
    quoteStartThrottleMiddleware(deps.quoteStartLimiter),
  ]);
}

/** The deployment's validity, underwriting and retention settings, for decide(). */
function quoteSettings(): QuoteSettings {
  const env = config();
  return {
    validity: env.QUOTE_VALIDITY_DAYS,
    underwriting: { autoApprove: env.AUTO_APPROVE, referralRegions: env.UNDERWRITING_REFERRAL_REGIONS, premiumLimit: env.UNDERWRITING_PREMIUM_LIMIT },
    retention: { draftSeconds: env.PRIVACY_DRAFT_RETENTION_DAYS, closedSeconds: env.PRIVACY_CLOSED_RETENTION_DAYS },
  };
}

/** The composition root: the buses and what they need, built once per process. */
export function createServices(db: PrismaClient, options: { cacheReads?: boolean } = {}) {
  const store = createEventStore(db, { idempotencyTtlHours: config().IDEMPOTENCY_TTL_HOURS, globalAppendLock: config().EVENT_STORE_GLOBAL_LOCK });
  const cache = options.cacheReads ? createReadCache(config().DATABASE_URL) : noCache;
  const access = { idleDays: config().QUOTE_ACCESS_IDLE_DAYS };
  const deps = { db, store, cache, access, now: () => new Date(), settings: quoteSettings() };
  const rateLimiter = postgresRateLimiter({ databaseUrl: config().DATABASE_URL, tableName: QUOTE_START_COUNTERS_TABLE, points: config().QUOTE_START_RATE_LIMIT, windowSeconds: QUOTE_START_WINDOW_SECONDS });
  const commandHistory = processCommandHistory(db, (error) => createLogger("metrics").warn({ err: error }, "could not write the command history"));
  const commandBus = createCommandBus({ ...deps, databaseUrl: config().DATABASE_URL, quoteStartLimiter: rateLimiter, commandHistory, idempotencyTtlHours: config().IDEMPOTENCY_TTL_HOURS });
  const queries = [getQuoteForCustomer(deps), exportPersonalData(deps), listQuotes(deps), exportQuotes(deps), getQuoteDetails(deps), getQuoteTimeline(deps), getFunnel(deps), listParkedMessages(deps), getSystemOverview(deps), getCommandBatch(deps), getWorkerStatus({ db, databaseUrl: config().DATABASE_URL })];
  const queryBus = new Bus(
    queries.map((q) => q.type),
    queries,
    [tracingMiddleware("query"), loggingMiddleware(createLogger("queries")), metricsMiddleware(metrics().queryDuration), authorizationMiddleware, validationMiddleware],
  );
  return { db, store, access, commandBus, queryBus };
}

export type Services = ReturnType<typeof createServices>;

const globalForServices = globalThis as unknown as { services?: Services };

export function services(): Services {
  globalForServices.services ??= createServices(prisma(), { cacheReads: process.env.NEXT_RUNTIME === "nodejs" });
  return globalForServices.services;
}
