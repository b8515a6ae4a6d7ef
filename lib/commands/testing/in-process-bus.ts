/**
 * The command bus as the app builds it, in the test's own process against the test database, with the quote settings
 * a test chooses (a validity of seconds, a short retention) and no start limit; and a customer's journey through it.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { config } from "../../config";
import { message } from "../../cqrs/message";
import type { Bus } from "../../cqrs/bus";
import { prisma } from "../../db/prisma";
import { DEFAULT_QUOTE_SETTINGS, type Actor, type QuoteSettings } from "../../domain/quote";
import type { EventStore } from "../../eventstore/event-store";
import { validDetails } from "../../http/testing/quote-api-client";
import { createCommandBus } from "../../services";
import type { StartQuoteResponse } from "../start-quote";

export function inProcessCommandBus(store: EventStore, settings: Partial<QuoteSettings> = {}): Bus {
  return createCommandBus({
    db: prisma(),
    databaseUrl: config().DATABASE_URL,
    store,
    access: { idleDays: 30 },
    now: () => new Date(),
    settings: { ...DEFAULT_QUOTE_SETTINGS, ...settings },
    quoteStartLimiter: { hit: async () => ({ allowed: true }) },
  });
}

const CUSTOMER: Actor = { kind: "customer" };

/** Sends one command as the customer (or `metadata.actor`), from a documentation address. */
export const sendCommand = <T>(bus: Bus, type: string, payload: Record<string, unknown>, metadata: { actor?: Actor; accessToken?: string } = {}) =>
  bus.execute<T>(message(type, payload, { actor: CUSTOMER, clientAddress: "203.0.113.40", ...metadata }));

/** A quote started and every page answered (with a unique email), through `bus`; submitted too unless `submit` is false. */
export async function customerQuote(bus: Bus, options: { submit?: boolean } = {}) {
  const email = `customer-${randomUUID()}@example.com`;
  const started = await sendCommand<StartQuoteResponse>(bus, "StartQuote", {});
  assert.ok(started.ok, JSON.stringify(started));
  const { quoteId, accessToken } = started.value;
  for (const [type, details] of [
    ["CaptureGeographicDetails", validDetails.geographic],
    ["CaptureContactDetails", { ...validDetails.contact, email }],
    ["CaptureFamilyDetails", validDetails.family],
  ] as const) {
    const captured = await sendCommand(bus, type, { quoteId, details }, { accessToken });
    assert.ok(captured.ok, JSON.stringify(captured));
  }
  if (options.submit !== false) {
    const submitted = await sendCommand(bus, "SubmitQuote", { quoteId }, { accessToken });
    assert.ok(submitted.ok, JSON.stringify(submitted));
  }
  return { quoteId, accessToken, email };
}

/** Runs `round` (the worker's loops) until `done`, pausing briefly whenever a round found nothing to do. */
export async function runRoundsUntil(round: () => Promise<number>, done: () => Promise<boolean>, limitMs = 20_000) {
  const deadline = Date.now() + limitMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error("not done in time");
    if ((await round()) === 0) await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
