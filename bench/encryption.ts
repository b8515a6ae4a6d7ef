/**
 * Benchmark 8 — what encrypting personal data costs. Two figures, each against the same work in plain text in the
 * same run:
 * - the command path: CaptureContactDetails through the real command bus (middleware, one read with the quote's
 *   wrapped data key, decide, one append statement) against PostgreSQL, `clients` at a time, with the event store
 *   as the app runs it (AES-256-GCM per personal value under the quote's data key) and with a store that writes
 *   them in plain text, in alternating rounds so that drift of the machine falls on both. In process, without HTTP:
 *   the difference is all in the store, and Next's share would only hide it.
 * - the relay: the same synthetic quotes published once as the event store writes them (personal values sealed,
 *   Avro `bytes`) and in plain text (the older schema versions' strings), in alternating rounds.
 */
import type { Kafka } from "kafkajs";
import type pg from "pg";
import { config } from "../lib/config";
import { message } from "../lib/cqrs/message";
import type { Bus } from "../lib/cqrs/bus";
import type { RecordedEvent } from "../lib/domain/quote";
import { createEventStore } from "../lib/eventstore/event-store";
import type { PrismaClient } from "../lib/generated/prisma/client";
import { createLogger } from "../lib/logging/logger";
import type { SchemaRegistry } from "../lib/messaging/avro/schema-registry";
import { createRelay } from "../lib/messaging/relay";
import { createCommandBus } from "../lib/services";
import { insertQuotePool, type PoolQuote } from "./command-path";
import { insertEvents } from "./support/events-table";
import { summarize, type Summary } from "./support/stats";
import { sealedSyntheticQuotes, syntheticQuotes } from "./support/synthetic";

export interface EncryptionResult {
  commandPath: { clients: number; secondsPerRound: number; rounds: number; encrypted: CommandFigures; plain: CommandFigures; rpsRatio: number };
  relay: { events: number; encrypted: { eventsPerSecond: number }; plain: { eventsPerSecond: number }; ratio: number };
}

export interface CommandFigures extends Summary {
  rps: number;
  refused: number;
}

function busFor(db: PrismaClient, plainPersonalData: boolean): Bus {
  return createCommandBus({
    db,
    databaseUrl: config().DATABASE_URL,
    store: createEventStore(db, { plainPersonalData }),
    access: { idleDays: 30 },
    now: () => new Date(),
    quoteStartLimiter: { hit: async () => ({ allowed: true }) },
  });
}

/** `clients` loops, each on quotes of its own, saving contact details for `seconds`. */
async function saveContactDetails(bus: Bus, quotes: PoolQuote[], clients: number, seconds: number): Promise<{ latencies: number[]; ok: number; refused: number; seconds: number }> {
  const latencies: number[] = [];
  let ok = 0;
  let refused = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      const mine = quotes.filter((_, i) => i % clients === client);
      for (let n = 0; performance.now() < until; n++) {
        const quote = mine[n % mine.length]!;
        const t = performance.now();
        const result = await bus.execute(
          message("CaptureContactDetails", { quoteId: quote.quoteId, details: { email: `bench-${n}@example.com`, phoneNumber: "+1 415 555 0100" } }, { actor: { kind: "customer" }, accessToken: quote.token }),
        );
        latencies.push(performance.now() - t);
        if (result.ok) ok++;
        else refused++;
      }
    }),
  );
  return { latencies, ok, refused, seconds: (performance.now() - started) / 1000 };
}

export async function benchEncryption(options: {
  db: PrismaClient;
  pool: pg.Pool;
  kafka: Kafka;
  registry: SchemaRegistry;
  /** Synthetic quotes (EVENTS_PER_QUOTE events each) the relay publishes each way. */
  relayQuotes: number;
  clients: number;
  seconds: number;
  rounds: number;
  log: (line: string) => void;
}): Promise<EncryptionResult> {
  const { db, pool, log } = options;
  const buses = { encrypted: busFor(db, false), plain: busFor(db, true) };
  const pools = { encrypted: await insertQuotePool(pool, options.clients * 20), plain: await insertQuotePool(pool, options.clients * 20) };
  // Warm-up, not timed: each encrypted quote gets its data key with its first personal value, as an older quote would.
  for (const kind of ["encrypted", "plain"] as const) await saveContactDetails(buses[kind], pools[kind], options.clients, 1);
  const rounds = { encrypted: [] as Awaited<ReturnType<typeof saveContactDetails>>[], plain: [] as Awaited<ReturnType<typeof saveContactDetails>>[] };
  for (let round = 0; round < options.rounds; round++) {
    for (const kind of ["plain", "encrypted"] as const) rounds[kind].push(await saveContactDetails(buses[kind], pools[kind], options.clients, options.seconds));
  }
  const figures = (runs: typeof rounds.plain): CommandFigures => ({
    ...summarize(runs.flatMap((r) => r.latencies)),
    rps: runs.reduce((sum, r) => sum + r.ok, 0) / runs.reduce((sum, r) => sum + r.seconds, 0),
    refused: runs.reduce((sum, r) => sum + r.refused, 0),
  });
  const encrypted = figures(rounds.encrypted);
  const plain = figures(rounds.plain);
  if (encrypted.refused || plain.refused) throw new Error(`page saves refused: ${encrypted.refused} encrypted, ${plain.refused} plain`);
  log(`  command path, ${options.clients} clients: encrypted ${Math.round(encrypted.rps)} req/s p99 ${encrypted.p99.toFixed(1)} ms | plain ${Math.round(plain.rps)} req/s p99 ${plain.p99.toFixed(1)} ms`);

  const relayRate = async (events: RecordedEvent[]) => {
    const relay = createRelay({ db, kafka: options.kafka, registry: options.registry, log: createLogger("bench-relay") });
    // What the command path above appended goes first, not timed.
    while ((await relay.publishBatch()) > 0);
    await insertEvents(pool, events, { published: false });
    let published = await relay.publishBatch(1); // connects the producer: not timed
    const started = performance.now();
    let timed = 0;
    for (let n = await relay.publishBatch(); n > 0; n = await relay.publishBatch()) timed += n;
    const seconds = (performance.now() - started) / 1000;
    await relay.stop();
    published += timed;
    if (published !== events.length) throw new Error(`relay published ${published} of ${events.length}`);
    return { eventsPerSecond: timed / seconds };
  };
  // The relay copies sealed values as they are; a random key per quote stands for the keys it never reads. Rounds
  // alternate (plain, encrypted, …) so that drift of the machine falls on both.
  const sealedQuotes = (quotes: number) => sealedSyntheticQuotes(quotes).flat();
  const perRound = Math.ceil(options.relayQuotes / options.rounds);
  const relayRounds = { plain: [] as number[], encrypted: [] as number[], events: 0 };
  for (let round = 0; round < options.rounds; round++) {
    relayRounds.plain.push((await relayRate(syntheticQuotes(perRound).flat())).eventsPerSecond);
    const sealed = sealedQuotes(perRound);
    relayRounds.encrypted.push((await relayRate(sealed)).eventsPerSecond);
    relayRounds.events += sealed.length;
  }
  const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
  const relayPlain = { eventsPerSecond: mean(relayRounds.plain) };
  const relayEncrypted = { eventsPerSecond: mean(relayRounds.encrypted) };
  log(`  relay, ${relayRounds.events} events each way: encrypted ${Math.round(relayEncrypted.eventsPerSecond)} events/s | plain ${Math.round(relayPlain.eventsPerSecond)} events/s`);

  return {
    commandPath: { clients: options.clients, secondsPerRound: options.seconds, rounds: options.rounds, encrypted, plain, rpsRatio: encrypted.rps / plain.rps },
    relay: { events: relayRounds.events, encrypted: relayEncrypted, plain: relayPlain, ratio: relayEncrypted.eventsPerSecond / relayPlain.eventsPerSecond },
  };
}
