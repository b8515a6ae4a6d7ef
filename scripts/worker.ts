// npm run worker — the background worker: relay (outbox → Kafka), projector (events → read models), async commands.
//   npm run worker -- --only=projector   runs some roles only (e.g. more projectors in the consumer group).
// A deployment runs `npm run start:worker` (scripts/start-worker.ts) instead.
import { loadDotEnv } from "./lib/dotenv";
import { runWorkerProcess, workerRolesFromArgs } from "./lib/worker-main";

loadDotEnv();
await runWorkerProcess(workerRolesFromArgs(process.argv));
