import "server-only";
import type { Kafka } from "kafkajs";
import type { PrismaClient } from "../generated/prisma/client";
import type { Logger } from "../logging/logger";
import type { SchemaRegistry } from "../messaging/avro/schema-registry";
import { createRelay } from "../messaging/relay";
import { createPostgresProjector } from "../projections/postgres-projector";
import { workerStatus } from "./worker-status";

export interface DrainResult {
  published: number;
  projected: number;
  remainingLag: number;
  seconds: number;
}

/**
 * Runs the relay and projection until caught up (bounded), for deployments that trigger work on a schedule.
 * Kafka mode: publishes the outbox, then waits for the consumer group to apply it; embedded mode: projects the
 * event log here.
 */
export async function drainWorker(deps: { db: PrismaClient; databaseUrl: string; kafka: Kafka | null; registry: SchemaRegistry; log: Logger }, limitMs = 25_000): Promise<DrainResult> {
  const started = Date.now();
  const deadline = started + limitMs;
  let published = 0;
  let projected = 0;
  if (deps.kafka) {
    const relay = createRelay({ db: deps.db, kafka: deps.kafka, registry: deps.registry, log: deps.log });
    try {
      for (let n = await relay.publishBatch(); n > 0 && Date.now() < deadline; n = await relay.publishBatch()) published += n;
    } finally {
      await relay.stop();
    }
    const before = await workerStatus(deps.db, deps.databaseUrl, deps.kafka);
    let lag = before.projection.totalLag;
    while (lag > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      lag = (await workerStatus(deps.db, deps.databaseUrl, deps.kafka)).projection.totalLag;
    }
    projected = before.projection.totalLag - lag;
  } else {
    const projector = createPostgresProjector({ db: deps.db, databaseUrl: deps.databaseUrl });
    for (;;) {
      const outcome = await projector.runOnce();
      projected += outcome.applied;
      if (outcome.read === 0 || Date.now() >= deadline) break;
    }
  }
  const remainingLag = (await workerStatus(deps.db, deps.databaseUrl, deps.kafka)).projection.totalLag;
  return { published, projected, remainingLag, seconds: (Date.now() - started) / 1000 };
}
