import { config } from "../../config";
import { prisma } from "../../db/prisma";
import { createPostgresProjector } from "../postgres-projector";

/** Projects everything in the event log into the live read models (embedded-mode projector), for tests. */
export async function drainProjector(): Promise<void> {
  const projector = createPostgresProjector({ db: prisma(), databaseUrl: config().DATABASE_URL });
  while ((await projector.runOnce()).read > 0);
}
