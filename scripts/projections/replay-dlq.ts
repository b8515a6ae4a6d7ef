// npm run projections:replay-dlq — after a fix, re-applies the parked messages and those held behind them.
import { loadConfigOrExit } from "../../lib/config";
import { createPrismaClient } from "../../lib/db/prisma";
import { builtInRegistry } from "../../lib/messaging/avro/schema-registry";
import { activeGeneration, disconnectReadModelClients, readModelClient } from "../../lib/projections/generations";
import { replayDeadLetters } from "../../lib/projections/replay-dead-letters";

const env = loadConfigOrExit();
const db = createPrismaClient(env.DATABASE_URL);
const schema = await activeGeneration(db);
const result = await replayDeadLetters(readModelClient(schema, env.DATABASE_URL), schema, builtInRegistry());
console.log(`replay: ${result.quotes} quote(s), ${result.applied} event(s) applied, ${result.stillFailing.length} still failing`);
for (const failure of result.stillFailing) console.log(`  ${failure.quoteId}: ${failure.error}`);
await disconnectReadModelClients();
await db.$disconnect();
process.exit(result.stillFailing.length ? 1 : 0);
