import "server-only";
import { z } from "zod";
import { agentOrSystem } from "../access/policies";
import { ok } from "../cqrs/app-error";
import type { CommandDefinition, QueryDefinition } from "../cqrs/bus";
import type { PrismaClient } from "../generated/prisma/client";
import { createLogger } from "../logging/logger";
import { configuredSchemaRegistry } from "../messaging/avro/configured-registry";
import { createKafka } from "../messaging/kafka-client";
import { drainWorker, type DrainResult } from "./drain";
import { workerStatus, type WorkerStatus } from "./worker-status";

export interface WorkerOperationDeps {
  db: PrismaClient;
  databaseUrl: string;
}

const noPayload = z.object({}).strict();

/** The worker's status for operators: lag per partition, relay backlog and leader, live workers, parked messages. */
export function getWorkerStatus(deps: WorkerOperationDeps): QueryDefinition<Record<string, never>, WorkerStatus> {
  return {
    type: "GetWorkerStatus",
    schema: noPayload,
    authorize: agentOrSystem,
    handle: async () => ok(await workerStatus(deps.db, deps.databaseUrl, createKafka("status"))),
  };
}

/** Runs the relay and the projection until caught up (bounded), for deployments that trigger work on a schedule. */
export function drainWorkerCommand(deps: WorkerOperationDeps): CommandDefinition<Record<string, never>, DrainResult> {
  return {
    type: "DrainWorker",
    schema: noPayload,
    authorize: agentOrSystem,
    handle: async () => ok(await drainWorker({ db: deps.db, databaseUrl: deps.databaseUrl, kafka: createKafka("drain"), registry: await configuredSchemaRegistry(), log: createLogger("drain") })),
  };
}
