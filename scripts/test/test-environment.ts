import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Kafka, logLevel } from "kafkajs";
import { parseConfig } from "../../lib/config/environment";
import { configuredTopicSettings, ensureTopics, quoteEventsTopic } from "../../lib/messaging/topics";
import { applyMigrations } from "../db/migrations";
import { startEmbeddedPostgres } from "../db/embedded-postgres";
import { startKafkaBroker } from "../kafka/broker";
import { dataDir, repoRoot } from "../lib/paths";

/**
 * Ports of the test servers: apart from the dev ones, so a running `npm run dev` is left alone. TEST_PORT_OFFSET
 * shifts them all (and the data folder), so two test runs on one machine do not collide.
 */
const offset = Number(process.env.TEST_PORT_OFFSET ?? 0);
export const TEST_PORTS = {
  postgres: 54339 + offset,
  kafka: 19092 + offset,
  kafkaController: 19093 + offset,
  /** The broker's SASL_SSL listener (TLS with its own CA, SCRAM and PLAIN). */
  kafkaSaslSsl: 19094 + offset,
  app: 3100 + offset,
  /** The app server an integration test starts for itself (scripts/test/app-server.ts). */
  integrationApp: 3105 + offset,
  applicationNumberService: 4110 + offset,
  /** The schema registry stand-in an integration test starts for itself (scripts/schema-registry-service.ts). */
  schemaRegistry: 4112 + offset,
  /** The same, started by the stand-in's own test, which runs beside the others (scripts/test/find-tests.ts). */
  schemaRegistryUnderTest: 4113 + offset,
  /** The application-number stand-in started by its own test. */
  applicationNumberServiceUnderTest: 4114 + offset,
  /** The mail catcher of the e2e stack (scripts/mail-catcher.ts): SMTP, and its HTTP API (GET /messages). */
  mailCatcherSmtp: 4115 + offset,
  mailCatcherHttp: 4116 + offset,
  /** `npm run dev:cluster` under test (scripts/dev-cluster.build.integration.test.ts): its two web servers (this port and the next), its three Kafka nodes (this client port and the five after) and its stand-in. */
  devClusterWeb: 3106 + offset,
  devClusterKafka: 29092 + offset,
  devClusterApplicationNumberService: 4111 + offset,
};

export interface TestServers {
  env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * A real PostgreSQL and a real Kafka broker for the integration and e2e suites, both fresh for each run
 * (their data under .data/test is wiped first) and stopped afterwards.
 */
export async function startTestServers(log: (line: string) => void): Promise<TestServers> {
  const root = dataDir(offset ? `test-${offset}` : "test");
  fs.rmSync(path.join(root, "postgres"), { recursive: true, force: true });
  fs.rmSync(path.join(root, "kafka"), { recursive: true, force: true });
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((error) => log(`stop failed: ${error}`));
  };
  try {
    const externalDb = process.env.TEST_DATABASE_URL;
    let databaseUrl = externalDb;
    if (!databaseUrl) {
      const postgres = await startEmbeddedPostgres({
        url: `postgresql://postgres:postgres@127.0.0.1:${TEST_PORTS.postgres}/quotes_test`,
        directory: path.join(root, "postgres"),
      });
      stops.push(() => postgres.stop());
      databaseUrl = postgres.url;
      log(`PostgreSQL (embedded) pid ${postgres.pid} on 127.0.0.1:${TEST_PORTS.postgres}`);
    }
    await applyMigrations(repoRoot, databaseUrl);

    let brokers = process.env.TEST_KAFKA_BROKERS;
    // With a broker of your own, set these yourself for the SASL_SSL test (else it is skipped).
    let saslSsl: Record<string, string> = {};
    if (!brokers) {
      const broker = await startKafkaBroker({ dataDir: path.join(root, "kafka"), port: TEST_PORTS.kafka, controllerPort: TEST_PORTS.kafkaController, saslSslPort: TEST_PORTS.kafkaSaslSsl });
      stops.push(() => broker.stop());
      brokers = broker.brokers;
      saslSsl = {
        TEST_KAFKA_SASL_SSL_BROKERS: broker.saslSsl.brokers,
        TEST_KAFKA_SSL_CA_FILE: broker.saslSsl.caFile,
        TEST_KAFKA_SASL_USERNAME: broker.saslSsl.username,
        TEST_KAFKA_SASL_PASSWORD: broker.saslSsl.password,
      };
      log(`Kafka broker pid ${broker.pid} on ${brokers} (SASL_SSL on ${broker.saslSsl.brokers})`);
    }
    const admin = new Kafka({ clientId: "test-setup", brokers: brokers.split(","), logLevel: logLevel.WARN }).admin();
    await admin.connect();
    // Parsed here, not through config(): that caches for the whole process, and the e2e stack started later in this
    // process must read the test servers' settings, not what the environment held before they started.
    const settings = parseConfig(process.env);
    await ensureTopics(admin, configuredTopicSettings(settings), undefined, quoteEventsTopic(settings));
    await admin.disconnect();

    return {
      env: {
        DATABASE_URL: databaseUrl,
        KAFKA_BROKERS: brokers,
        ...saslSsl,
        APP_PORT: String(TEST_PORTS.app),
        APPLICATION_NUMBER_SERVICE_PORT: String(TEST_PORTS.applicationNumberService),
        APPLICATION_NUMBER_SERVICE_URL: `http://127.0.0.1:${TEST_PORTS.applicationNumberService}`,
        // The e2e stack starts its mail catcher here (startStack's mailCatcher); its worker sends the customers' emails to it.
        SMTP_URL: `smtp://127.0.0.1:${TEST_PORTS.mailCatcherSmtp}`,
        MAIL_CATCHER_SMTP_PORT: String(TEST_PORTS.mailCatcherSmtp),
        MAIL_CATCHER_HTTP_PORT: String(TEST_PORTS.mailCatcherHttp),
        LOG_LEVEL: "warn",
        // The production build signs agents' sessions with it; a fresh one each run.
        BETTER_AUTH_SECRET: randomBytes(32).toString("base64url"),
        // Wraps the quotes' data keys; a fresh one each run, as the database is.
        DATA_KEY_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
        // Every test starts its quotes from 127.0.0.1, far more than a customer would in a minute.
        QUOTE_START_RATE_LIMIT: "1000000",
        // The e2e specs stand in for a proxy in front of the app: each simulated client (an agent signing in, say)
        // sends its own X-Forwarded-For from 127.0.0.1, so they do not all share 127.0.0.1's sign-in limit.
        TRUSTED_PROXIES: "127.0.0.1",
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
