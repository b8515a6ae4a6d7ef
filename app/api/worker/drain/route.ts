import { config } from "@/lib/config";
import { prisma } from "@/lib/db/prisma";
import { json } from "@/lib/http/route-handler";
import { createLogger } from "@/lib/logging/logger";
import { builtInRegistry } from "@/lib/messaging/avro/schema-registry";
import { createKafka } from "@/lib/messaging/kafka-client";
import { drainWorker } from "@/lib/worker/drain";
import { withWorkerAccess } from "@/lib/worker/worker-route-access";

export const dynamic = "force-dynamic";

/** Runs relay and projection until caught up and returns the counts. For agents, or a scheduler with the secret. */
export function POST(request: Request) {
  return withWorkerAccess(request, async () =>
    json(await drainWorker({ db: prisma(), databaseUrl: config().DATABASE_URL, kafka: createKafka("drain"), registry: builtInRegistry(), log: createLogger("drain") })),
  );
}
