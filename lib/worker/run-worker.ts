import "server-only";
import { isKafkaMode, type Env } from "../config";
import type { PrismaClient } from "../generated/prisma/client";
import { createApplicationNumberClient } from "../integrations/application-number-client";
import type { Logger } from "../logging/logger";
import type { SchemaRegistry } from "../messaging/avro/schema-registry";
import { createKafka } from "../messaging/kafka-client";
import { createRelay, type Relay } from "../messaging/relay";
import { startRelayLeadership, type RelayLeadership } from "../messaging/relay-leadership";
import { startKafkaProjector, type KafkaProjector } from "../projections/kafka-projector";
import { createPostgresProjector } from "../projections/postgres-projector";
import { createServices } from "../services";
import { startWorkerMetrics } from "../observability/worker-metrics";
import { startHeartbeat } from "./heartbeat";
import { startIdempotencyCleanup } from "./idempotency-cleanup";
import { startFinishedWorkCleanup } from "./finished-work-cleanup";
import { createScheduledCommandProcessor } from "./scheduled-commands";
import { createCommandBatchProcessor } from "./command-batches";
import { createNotificationReactor } from "../notifications/reactor";
import { createNotificationSender } from "../notifications/sender";
import { createNotificationOutbox } from "../notifications/outbox";
import { createSmtpTransport, smtpUrlOf } from "../notifications/smtp-transport";
import { authBaseUrl } from "../auth/settings";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The worker's loops: the relay and a Kafka consumer projecting (Kafka mode) or the event-log projector (embedded
 * mode), the scheduled commands, the items of command batches (bulk decisions), and the customers' emails (the reactor queueing them, the sender sending them). Each loop
 * survives the failure of a round: it logs, backs off and tries again, so a broker or database outage only
 * delays work.
 */
export type WorkerRole = "relay" | "projector" | "scheduled" | "notifications" | "batches";
export const WORKER_ROLES: readonly WorkerRole[] = ["relay", "projector", "scheduled", "notifications", "batches"];

/** `registry`: the process's schema registry (configuredSchemaRegistry), whose ids the relay writes and the projector reads. */
export function startWorker(env: Env, db: PrismaClient, log: Logger, registry: SchemaRegistry, roles: readonly WorkerRole[] = WORKER_ROLES) {
  const mode = isKafkaMode(env) ? "kafka" : "embedded";
  const runs = (role: WorkerRole) => roles.includes(role);
  const { commandBus, store } = createServices(db);
  const client = createApplicationNumberClient({ baseUrl: env.APPLICATION_NUMBER_SERVICE_URL, timeoutMs: env.APPLICATION_NUMBER_TIMEOUT_MS, log: log.child({ component: "application-number-client" }) });
  const scheduled = createScheduledCommandProcessor({ db, commandBus, client, maxRounds: env.APPLICATION_NUMBER_MAX_ROUNDS, maxAttempts: env.SCHEDULED_COMMAND_MAX_ATTEMPTS, leaseSeconds: env.WORKER_CLAIM_LEASE_SECONDS, log: log.child({ component: "scheduled-commands" }) });
  const batches = runs("batches") ? createCommandBatchProcessor({ db, commandBus, leaseSeconds: env.WORKER_CLAIM_LEASE_SECONDS, log: log.child({ component: "command-batches" }) }) : null;
  const kafka = createKafka("worker", env);
  const heartbeat = startHeartbeat(db, mode, (error) => log.warn({ err: error }, "heartbeat failed"), roles);
  const workerMetrics = startWorkerMetrics({ env, db, kafka, workerId: heartbeat.workerId, breakerState: client.breakerState, log });
  const relayLog = log.child({ component: "relay" });
  const leadership: RelayLeadership | null =
    kafka && runs("relay") ? startRelayLeadership({ databaseUrl: env.DATABASE_URL, workerId: heartbeat.workerId, log: relayLog, retryMs: env.RELAY_LEADER_RETRY_MS }) : null;
  const relay: Relay | null = kafka && leadership ? createRelay({ db, kafka, registry, log: relayLog, canPublish: () => leadership.isLeader() }) : null;
  const postgresProjector = kafka || !runs("projector") ? null : createPostgresProjector({ db, databaseUrl: env.DATABASE_URL });
  let kafkaProjector: KafkaProjector | null = null;
  const kafkaProjectorStarted = kafka && runs("projector")
    ? startKafkaProjector({
        kafka,
        db,
        databaseUrl: env.DATABASE_URL,
        registry,
        groupId: env.PROJECTION_GROUP,
        sessionTimeoutMs: env.PROJECTION_SESSION_TIMEOUT_MS,
        partitionsConsumedConcurrently: env.PROJECTION_PARTITIONS_CONCURRENTLY,
        commitIntervalMs: env.PROJECTION_COMMIT_INTERVAL_MS,
        log: log.child({ component: "projector" }),
      }).then((started) => (kafkaProjector = started))
    : Promise.resolve(null);
  const idempotencyCleanup = runs("scheduled") ? startIdempotencyCleanup(store, log.child({ component: "idempotency-cleanup" })) : null;
  const finishedWorkCleanup = runs("scheduled") ? startFinishedWorkCleanup(db, env.FINISHED_WORK_RETENTION_DAYS, log.child({ component: "finished-work-cleanup" })) : null;

  const notificationsLog = log.child({ component: "notifications" });
  const notificationReactor = runs("notifications") ? createNotificationReactor({ db }) : null;
  const smtpUrl = smtpUrlOf(env);
  if (runs("notifications") && !smtpUrl) notificationsLog.warn("SMTP_URL is not set: customer emails are queued but not sent");
  const transport = runs("notifications") && smtpUrl ? createSmtpTransport(smtpUrl) : null;
  const notificationSender = transport
    ? createNotificationSender({ outbox: createNotificationOutbox(db), store, transport, from: env.MAIL_FROM, appOrigin: authBaseUrl(), leaseSeconds: env.WORKER_CLAIM_LEASE_SECONDS, log: notificationsLog })
    : null;

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

  /**
   * Publishes while this worker holds the relay lock. When caught up it waits for an append's notification, with
   * the poll interval as a fallback (publishBatch itself looks again for a while when committed rows wait behind
   * an older transaction, whose end notifies nothing).
   */
  const relayLoop = (relay: Relay, leadership: RelayLeadership) =>
    (async () => {
      let failures = 0;
      let leading = false;
      while (running) {
        if (!leadership.isLeader()) {
          if (leading) await relay.reset();
          leading = false;
          await leadership.wait(env.RELAY_LEADER_RETRY_MS);
          continue;
        }
        try {
          if (!leading) {
            // Another relay may have published meanwhile, and may have died between Kafka's acknowledgement and its
            // mark: forget this relay's position, and mark published what the topic already holds (relay-reconcile.ts)
            // before sending anything. Until that succeeds this worker leads without publishing.
            await relay.reconcile();
            leading = true;
          }
          const published = await relay.publishBatch();
          failures = 0;
          if (published === 0) await leadership.wait(env.WORKER_POLL_INTERVAL_MS);
        } catch (error) {
          failures++;
          const delay = Math.min(5_000, 200 * 2 ** Math.min(failures, 5));
          log.warn({ loop: "relay", err: error, retryInMs: delay }, "worker round failed");
          await sleep(delay);
        }
      }
    })();

  const loops = [
    ...(runs("scheduled") ? [loop("scheduled-commands", () => scheduled.runDue())] : []),
    ...(batches ? [loop("command-batches", () => batches.runDue())] : []),
    ...(relay && leadership ? [relayLoop(relay, leadership)] : []),
    ...(postgresProjector ? [loop("projector", async () => (await postgresProjector.runOnce()).read)] : []),
    ...(notificationReactor ? [loop("notification-reactor", () => notificationReactor.runOnce())] : []),
    ...(notificationSender ? [loop("notification-sender", () => notificationSender.runDue())] : []),
  ];

  return {
    mode,
    workerId: heartbeat.workerId,
    ready: Promise.all([heartbeat.ready, kafkaProjectorStarted]),
    metrics: workerMetrics,
    async stop() {
      running = false;
      leadership?.wake();
      await Promise.all(loops);
      transport?.close();
      await relay?.stop();
      // Last: the lock is held until nothing of this relay is in flight.
      await leadership?.stop();
      await (kafkaProjector as KafkaProjector | null)?.stop();
      await idempotencyCleanup?.stop();
      await finishedWorkCleanup?.stop();
      await workerMetrics.stop();
      await heartbeat.stop();
    },
  };
}
