import { config } from "@/lib/config";
import { prisma } from "@/lib/db/prisma";
import { json } from "@/lib/http/route-handler";
import { createKafka } from "@/lib/messaging/kafka-client";
import { withWorkerAccess } from "@/lib/worker/worker-route-access";
import { workerStatus } from "@/lib/worker/worker-status";

export const dynamic = "force-dynamic";

/**
 * The worker's status: lag per partition, last applied position, relay backlog, running workers, and the parked
 * messages (counts, and the most recent ones with their reason).
 */
export function GET(request: Request) {
  return withWorkerAccess(request, async () => json(await workerStatus(prisma(), config().DATABASE_URL, createKafka("status"))));
}
