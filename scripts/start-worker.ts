// npm run start:worker [-- --only=relay,projector,scheduled,notifications,batches] — the worker in a deployment: settings from the
// environment only (no .env file), every one it needs set (DATABASE_URL; KAFKA_BROKERS, or MESSAGING_MODE=embedded;
// APPLICATION_NUMBER_SERVICE_URL when it runs the scheduled commands), no embedded database, no stand-in.
import { requireProductionSettings } from "./lib/production-settings";
import { runWorkerProcess, workerRolesFromArgs } from "./lib/worker-main";

if (!process.env.NODE_ENV) Object.assign(process.env, { NODE_ENV: "production" });
const roles = workerRolesFromArgs(process.argv);
requireProductionSettings({ kind: "worker", roles }, "npm run start:worker");
await runWorkerProcess(roles);
