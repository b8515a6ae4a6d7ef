// npm run projections:replay-dlq — after a fix, re-applies the parked messages and those held behind them.
//   npm run projections:replay-dlq -- --list   only lists the parked messages, with their reason; changes nothing.
import { loadConfigOrExit } from "../../lib/config";
import { createPrismaClient } from "../../lib/db/prisma";
import { configuredSchemaRegistry } from "../../lib/messaging/avro/configured-registry";
import { activeGeneration, disconnectReadModelClients, readModelClient } from "../../lib/projections/generations";
import { recentParkedMessages } from "../../lib/projections/parked-messages";
import { replayDeadLetters } from "../../lib/projections/replay-dead-letters";
import { loadDotEnv } from "../lib/dotenv";

loadDotEnv();
const env = loadConfigOrExit();
const db = createPrismaClient(env.DATABASE_URL);
const schema = await activeGeneration(db);
const readModels = readModelClient(schema, env.DATABASE_URL);
let exitCode = 0;
if (process.argv.includes("--list")) {
  const parked = await recentParkedMessages(readModels, 1_000);
  const held = await readModels.projectionDeadLetter.count({ where: { state: "held" } });
  console.log(`dead letters in generation ${schema}: ${parked.length} parked, ${held} held behind them`);
  for (const p of parked.reverse()) {
    console.log(`  ${p.parkedAt}  ${p.source} offset ${p.offset}  ${p.quoteId || "(no key)"}${p.heldBehind ? ` (+${p.heldBehind} held)` : ""}\n      ${p.reason}`);
  }
} else {
  const result = await replayDeadLetters(readModels, schema, await configuredSchemaRegistry(env));
  console.log(`replay: ${result.quotes} quote(s), ${result.applied} event(s) applied, ${result.stillFailing.length} still failing`);
  for (const failure of result.stillFailing) console.log(`  ${failure.quoteId || "(no key)"}: ${failure.error}`);
  exitCode = result.stillFailing.length ? 1 : 0;
}
await disconnectReadModelClients();
await db.$disconnect();
process.exit(exitCode);
