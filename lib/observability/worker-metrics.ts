/**
 * What the worker adds for its metrics: the sampler (gauges and the system page's history), the breaker's gauge,
 * and its own /metrics endpoint when WORKER_METRICS_PORT is set. One call from run-worker.ts.
 */
import "server-only";
import type { Kafka } from "kafkajs";
import type { Env } from "../config";
import type { PrismaClient } from "../generated/prisma/client";
import { configuredTrustedProxies } from "../http/trusted-proxies";
import type { Logger } from "../logging/logger";
import { metrics, type BreakerStateName } from "./metrics";
import { startMetricsServer, type MetricsServer } from "./metrics-server";
import { createSystemSampler } from "./system-sampler";

export function startWorkerMetrics(deps: { env: Env; db: PrismaClient; kafka: Kafka | null; workerId: string; breakerState: () => BreakerStateName; log: Logger }) {
  const log = deps.log.child({ component: "metrics" });
  metrics().observeBreaker(deps.breakerState);
  const sampler = createSystemSampler({ db: deps.db, databaseUrl: deps.env.DATABASE_URL, kafka: deps.kafka, workerId: deps.workerId, onError: (error) => log.warn({ err: error }, "metrics sample failed") });
  sampler.start();
  const port = deps.env.WORKER_METRICS_PORT;
  const server: Promise<MetricsServer | null> = port
    ? startMetricsServer({ port, host: deps.env.WORKER_METRICS_HOST, token: deps.env.METRICS_TOKEN, trustedProxies: configuredTrustedProxies(deps.env), onError: (error) => log.warn({ err: error }, "metrics scrape failed") }).then(
        (started) => {
          log.info({ host: deps.env.WORKER_METRICS_HOST, port: started.port }, "worker metrics on /metrics");
          return started;
        },
        (error: unknown) => {
          // The worker's work matters more than its metrics: it runs on without them.
          log.error({ err: error, port }, "cannot serve the worker's metrics");
          return null;
        },
      )
    : Promise.resolve(null);
  return {
    sampler,
    server,
    async stop() {
      await sampler.stop();
      await (await server)?.stop();
    },
  };
}
