// npm run projections:rebuild — fresh read models from the start of the log, built beside the live ones, then
// switched over. Kafka mode reads the topic from offset 0; embedded mode reads the Postgres event log.
import { loadConfigOrExit } from "../../lib/config";
import { createPrismaClient } from "../../lib/db/prisma";
import { configuredSchemaRegistry } from "../../lib/messaging/avro/configured-registry";
import { createKafka } from "../../lib/messaging/kafka-client";
import { disconnectReadModelClients } from "../../lib/projections/generations";
import { rebuildReadModels } from "../../lib/projections/rebuild";
import { loadDotEnv } from "../lib/dotenv";

loadDotEnv();
const env = loadConfigOrExit();
const db = createPrismaClient(env.DATABASE_URL);
let lastPrint = 0;
const result = await rebuildReadModels({
  db,
  databaseUrl: env.DATABASE_URL,
  kafka: createKafka("rebuild", env),
  registry: await configuredSchemaRegistry(env),
  onProgress: ({ applied, eventsPerSecond }) => {
    if (Date.now() - lastPrint < 1_000) return;
    lastPrint = Date.now();
    console.log(`rebuild: ${applied} events applied (${eventsPerSecond}/s)`);
  },
  onRetry: (reason, retryInMs) => console.log(`rebuild: a batch failed (${reason}); retrying in ${retryInMs} ms`),
});
console.log(`rebuild: done — ${result.applied} events applied, ${result.skipped} skipped, ${result.parked} parked, in ${result.seconds.toFixed(1)} s; live generation is now ${result.schema}`);
if (result.parked) console.log("rebuild: see the parked messages with npm run projections:replay-dlq -- --list");
await disconnectReadModelClients();
await db.$disconnect();
process.exit(0);
