import { isKafkaMode, type Env } from "../config";
import type { PrismaClient } from "../generated/prisma/client";
import { createApplicationNumberClient } from "../integrations/application-number-client";
import type { Logger } from "../logging/logger";
import { builtInRegistry } from "../messaging/avro/schema-registry";
import { createKafka } from "../messaging/kafka-client";
import { createRelay, type Relay } from "../messaging/relay";
import { createServices } from "../services";
import { startHeartbeat } from "./heartbeat";
import { createScheduledCommandProcessor } from "./scheduled-commands";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The worker's loops: the relay (Kafka mode), the scheduled commands, and (later) the projector. Each loop
 * survives the failure of a round: it logs, backs off and tries again, so a broker or database outage only
 * delays work.
 */
export function startWorker(env: Env, db: PrismaClient, log: Logger) {
  const mode = isKafkaMode(env) ? "kafka" : "embedded";
  const { commandBus } = createServices(db);
  const client = createApplicationNumberClient({ baseUrl: env.APPLICATION_NUMBER_SERVICE_URL, log: log.child({ component: "application-number-client" }) });
  const scheduled = createScheduledCommandProcessor({ db, commandBus, client, log: log.child({ component: "scheduled-commands" }) });
  const kafka = createKafka("worker", env.KAFKA_BROKERS);
  const relay: Relay | null = kafka ? createRelay({ db, kafka, registry: builtInRegistry(), log: log.child({ component: "relay" }) }) : null;
  const heartbeat = startHeartbeat(db, mode, (error) => log.warn({ err: error }, "heartbeat failed"));

  let running = true;
  const loop = (name: string, round: () => Promise<number>) =>
    (async () => {
      let failures = 0;
      while (running) {
        try {
          const done = await round();
          failures = 0;
          if (done === 0) await sleep(env.WORKER_POLL_INTERVAL_MS);
        } catch (error) {
          failures++;
          const delay = Math.min(5_000, 200 * 2 ** Math.min(failures, 5));
          log.warn({ loop: name, err: error, retryInMs: delay }, "worker round failed");
          await sleep(delay);
        }
      }
    })();

  const loops = [loop("scheduled-commands", () => scheduled.runDue()), ...(relay ? [loop("relay", () => relay.publishBatch())] : [])];

  return {
    mode,
    workerId: heartbeat.workerId,
    ready: heartbeat.ready,
    async stop() {
      running = false;
      await Promise.all(loops);
      await relay?.stop();
      await heartbeat.stop();
    },
  };
}
