import "server-only";
import { randomUUID } from "node:crypto";
import type { Kafka } from "kafkajs";
import type { PrismaClient } from "../generated/prisma/client";
import type { Logger } from "../logging/logger";
import type { SchemaRegistry } from "../messaging/avro/schema-registry";
import { createRelay } from "../messaging/relay";
import { tryTakeRelayLock } from "../messaging/relay-leadership";
import { createPostgresProjector } from "../projections/postgres-projector";
import { relayLeaderOf, workerStatus, type WorkerStatus } from "./worker-status";

export interface DrainResult {
  /** Events this drain published: 0 when another relay held the relay lock (that relay publishes them). */
  published: number;
  /**
   * Who published the outbox: this drain, holding the relay lock; the relay that held the lock (a worker's, or another
   * drain's), which this drain waited for; or nobody (embedded mode, where the projector reads the event log).
   */
  relay: "this-drain" | "lock-holder" | "none";
  /** The lock holder's worker id when `relay` is "lock-holder" (null if it could not be told). */
  relayLeader: string | null;
  projected: number;
  remainingLag: number;
  /** Events still unpublished when the drain returned. */
  remainingBacklog: number;
  seconds: number;
}

const appliedOffsets = (status: WorkerStatus) => new Map(status.projection.partitions.map((p) => [p.source, BigInt(p.appliedPosition ?? -1)]));

/**
 * Runs the relay and projection until caught up (bounded), for deployments that trigger work on a schedule.
 * Kafka mode: publishes the outbox, but only while holding the relay lock that a worker's relay holds while it
 * publishes (one relay at a time: two would publish the same events twice, interleaved); when another relay holds
 * it, leaves the publishing to that relay. Either way it then waits for the outbox to empty and the consumer group
 * to apply it. Its relay reconciles with the topic before it sends, as a worker's does when it takes the lock
 * (lib/messaging/relay-reconcile.ts). Embedded mode: projects the event log here.
 */
export async function drainWorker(deps: { db: PrismaClient; databaseUrl: string; kafka: Kafka | null; registry: SchemaRegistry; log: Logger }, limitMs = 25_000): Promise<DrainResult> {
  const started = Date.now();
  const deadline = started + limitMs;
  let published = 0;
  let projected = 0;
  let relayBy: DrainResult["relay"] = "none";
  let relayLeader: string | null = null;
  if (deps.kafka) {
    const before = await workerStatus(deps.db, deps.databaseUrl, deps.kafka);
    const lock = await tryTakeRelayLock(deps.databaseUrl, `drain-${randomUUID().slice(0, 8)}`);
    if (lock) {
      relayBy = "this-drain";
      const relay = createRelay({ db: deps.db, kafka: deps.kafka, registry: deps.registry, log: deps.log });
      try {
        while (Date.now() < deadline && (await lock.stillHeld())) {
          const n = await relay.publishBatch();
          if (n === 0) break;
          published += n;
        }
      } finally {
        await relay.stop();
        // Released only once nothing of this relay is in flight.
        await lock.release();
      }
    } else {
      relayBy = "lock-holder";
      relayLeader = await relayLeaderOf(deps.db);
      deps.log.info({ relayLeader }, "another relay holds the relay lock: the drain leaves publishing to it and waits");
    }
    let now = await workerStatus(deps.db, deps.databaseUrl, deps.kafka);
    while ((now.relayBacklog > 0 || now.projection.totalLag > 0) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      now = await workerStatus(deps.db, deps.databaseUrl, deps.kafka);
    }
    const from = appliedOffsets(before);
    // Messages the consumer group applied meanwhile (none counted backwards if a rebuild switched generations).
    projected = Math.max(0, Number([...appliedOffsets(now)].reduce((sum, [source, offset]) => sum + (offset - (from.get(source) ?? -1n)), 0n)));
  } else {
    const projector = createPostgresProjector({ db: deps.db, databaseUrl: deps.databaseUrl });
    for (;;) {
      const outcome = await projector.runOnce();
      projected += outcome.applied;
      if (outcome.read === 0 || Date.now() >= deadline) break;
    }
  }
  const end = await workerStatus(deps.db, deps.databaseUrl, deps.kafka);
  return { published, relay: relayBy, relayLeader, projected, remainingLag: end.projection.totalLag, remainingBacklog: end.relayBacklog, seconds: (Date.now() - started) / 1000 };
}
