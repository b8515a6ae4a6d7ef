import fs from "node:fs";
import ipaddr from "ipaddr.js";
import { z } from "zod";
import { DEFAULT_DATABASE_URL, DEFAULT_WORKER_CLAIM_LEASE_SECONDS } from "./defaults";
import { parseKeyEncryptionKey } from "./key-text";
import { PRIVACY_CLOSED_RETENTION_DAYS, PRIVACY_DRAFT_RETENTION_DAYS } from "../domain/quote/retention";

const hostPort = /^[A-Za-z0-9.-]+:\d{1,5}$/;

const brokerList = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .transform((value) => value.split(",").map((broker) => broker.trim()))
  .refine((brokers) => brokers.every((broker) => hostPort.test(broker)), {
    message: "must be a comma-separated list of host:port (for example 127.0.0.1:9092)",
  });

const postgresUrl = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === "postgresql:" || url.protocol === "postgres:";
    } catch {
      return false;
    }
  }, "must be a postgresql:// URL (for example postgresql://user:pass@127.0.0.1:5432/quotes)");

const bool = z.enum(["true", "false"], { message: "must be true or false" }).default("false").transform((value) => value === "true");

export const KAFKA_SASL_MECHANISMS = ["scram-sha-256", "scram-sha-512", "plain"] as const;

const saslMechanism = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(KAFKA_SASL_MECHANISMS, { message: `must be one of ${KAFKA_SASL_MECHANISMS.join(", ")}` }));

/** Read here, at start-up, so a wrong path is a configuration error rather than a failure at the first connection. */
const pemCertificateFile = z
  .string()
  .trim()
  .superRefine((file, context) => {
    let text: string;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch (error) {
      context.addIssue({ code: "custom", message: `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): must be the path of a PEM file of CA certificates` });
      return;
    }
    if (!text.includes("-----BEGIN CERTIFICATE-----")) context.addIssue({ code: "custom", message: "holds no PEM certificate (-----BEGIN CERTIFICATE-----)" });
  });

/** 32 random bytes, as 64 hex digits or base64 (e.g. `openssl rand -base64 32`). */
const keyEncryptionKey = z
  .string()
  .trim()
  .refine((value) => parseKeyEncryptionKey(value) !== null, "must be 32 random bytes as 64 hex digits or base64 (generate one with `openssl rand -base64 32`)");

/** Kafka's rule for topic names, with room left for the dead-letter topic's `.dlq`. */
const kafkaTopicName = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9._-]{1,245}$/, { message: "must be a Kafka topic name: letters, digits, '.', '_' and '-', at most 245 characters" })
  .refine((value) => value !== "." && value !== "..", { message: "must be a Kafka topic name, not . or .." });

const port = z.coerce
  .number({ message: "must be a port number" })
  .int("must be a whole number")
  .min(1, "must be between 1 and 65535")
  .max(65535, "must be between 1 and 65535");

// proxy-addr's names for whole ranges, beside IPs and CIDRs.
const proxyRangeNames = new Set(["loopback", "linklocal", "uniquelocal"]);

const proxyList = z
  .string()
  .trim()
  .transform((value) => value.split(",").map((entry) => entry.trim()).filter(Boolean))
  .refine((entries) => entries.every((entry) => proxyRangeNames.has(entry) || ipaddr.isValid(entry) || ipaddr.isValidCIDR(entry)), {
    message: "must be a comma-separated list of IP addresses or CIDR ranges (for example 10.0.0.0/8, 192.168.1.1), or loopback, linklocal, uniquelocal",
  });

const VALIDITY_UNIT_SECONDS = { s: 1, m: 60, h: 3_600, d: 86_400 } as const;

/** "30" (days) or a duration with a unit: "90s", "15m", "12h", "3d". Whole days keep the end-of-day rule. */
const quoteValidity = z
  .string()
  .trim()
  .regex(/^\d+[smhd]?$/, { message: "must be a number of days (30) or a duration with a unit: 90s, 15m, 12h, 3d" })
  .transform((value, context): { days: number } | { seconds: number } => {
    const amount = Number.parseInt(value, 10);
    const unit = (/[smhd]$/.exec(value)?.[0] ?? "d") as keyof typeof VALIDITY_UNIT_SECONDS;
    if (amount < 1 || (unit === "d" && amount > 365)) {
      context.addIssue({ code: "custom", message: "must be at least 1 and at most 365 days" });
      return z.NEVER;
    }
    return unit === "d" ? { days: amount } : { seconds: amount * VALIDITY_UNIT_SECONDS[unit] };
  });

const regionList = z
  .string()
  .trim()
  .transform((value) => value.split(",").map((entry) => entry.trim().toUpperCase()).filter(Boolean))
  .refine((entries) => entries.every((entry) => /^[A-Z]{2}(-[A-Z0-9]{1,3})?$/.test(entry)), {
    message: "must be a comma-separated list of country-region codes (US-FL, CA-QC) or countries (GB)",
  });

/** A retention period: days ("90"), a duration with a unit ("90s", "15m", "12h", "3d"), or "none" to keep; in seconds, null for none. */
const retentionPeriod = z
  .string()
  .trim()
  .regex(/^(\d+[smhd]?|none)$/i, { message: "must be a number of days (90), a duration with a unit (90s, 15m, 12h, 3d), or none" })
  .transform((value, context): number | null => {
    if (value.toLowerCase() === "none") return null;
    const amount = Number.parseInt(value, 10);
    if (amount < 1) {
      context.addIssue({ code: "custom", message: "must be at least 1, or none" });
      return z.NEVER;
    }
    const unit = (/[smhd]$/.exec(value)?.[0] ?? "d") as keyof typeof VALIDITY_UNIT_SECONDS;
    return amount * VALIDITY_UNIT_SECONDS[unit];
  });

const premiumLimit = z
  .string()
  .trim()
  .transform((value, context) => {
    if (value.toLowerCase() === "none") return null;
    const amount = Number(value);
    if (value === "" || !Number.isFinite(amount) || amount <= 0) {
      context.addIssue({ code: "custom", message: "must be a positive amount (a monthly premium, e.g. 500) or none" });
      return z.NEVER;
    }
    return amount;
  });

/** The credentials go in their own variables, so that no URL printed in a log or an error can carry them. */
const schemaRegistryUrl = z
  .string()
  .trim()
  .superRefine((value, context) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      context.addIssue({ code: "custom", message: "must be an http(s) URL (for example https://registry.example:8081)" });
      return;
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") context.addIssue({ code: "custom", message: "must be an http(s) URL (for example https://registry.example:8081)" });
    if (url.username || url.password) context.addIssue({ code: "custom", message: "must not hold credentials: put them in SCHEMA_REGISTRY_USERNAME and SCHEMA_REGISTRY_PASSWORD" });
  });

/** smtp:// (STARTTLS when the server offers it) or smtps:// (TLS from the start); user and password may be in the URL. */
const smtpUrl = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === "smtp:" || url.protocol === "smtps:") && url.hostname !== "";
    } catch {
      return false;
    }
  }, "must be an smtp:// or smtps:// URL (for example smtps://user:password@mail.example.com:465)");

const ratio = z.coerce
  .number({ message: "must be a number between 0 and 1" })
  .min(0, "must be between 0 and 1")
  .max(1, "must be between 0 and 1");

/** Every environment variable the project reads, with its default. README lists the same table. */
export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: postgresUrl.default(DEFAULT_DATABASE_URL),
  KAFKA_BROKERS: brokerList.optional(),
  /**
   * kafka or embedded. Unset, the mode follows KAFKA_BROKERS (set: Kafka mode); the production entry points
   * (start:web, start:worker) refuse to guess, so there embedded mode is chosen with MESSAGING_MODE=embedded.
   */
  MESSAGING_MODE: z.enum(["kafka", "embedded"], { message: "must be kafka or embedded" }).optional(),
  KAFKA_CLIENT_ID: z.string().min(1).default("quoting-platform"),
  /** TLS to every broker; the brokers' certificates are checked against the system's CAs, or KAFKA_SSL_CA_FILE's. */
  KAFKA_SSL: bool,
  /** PEM file of the CA(s) that signed the brokers' certificates, instead of the system's CAs. */
  KAFKA_SSL_CA_FILE: pemCertificateFile.optional(),
  KAFKA_SASL_MECHANISM: saslMechanism.optional(),
  KAFKA_SASL_USERNAME: z.string().min(1).optional(),
  KAFKA_SASL_PASSWORD: z.string().min(1).optional(),
  /**
   * The topic of every quote event (its dead letters go to `<topic>.dlq`). Changed only to move to a copy of the log:
   * docs/OPERATIONS.md, "Encrypting the history".
   */
  KAFKA_EVENTS_TOPIC: kafkaTopicName.default("quote-events"),
  /** Partitions of quote-events when it is created (an existing topic keeps its own); the DLQ always has one. */
  KAFKA_TOPIC_PARTITIONS: z.coerce.number({ message: "must be a whole number" }).int("must be a whole number").min(1, "must be at least 1").max(10_000, "must be at most 10000").default(6),
  /** Copies of every partition of the app's topics, each on another broker: at most the number of brokers. */
  KAFKA_REPLICATION_FACTOR: z.coerce.number({ message: "must be a whole number" }).int("must be a whole number").min(1, "must be at least 1").max(32_767, "must be at most 32767").default(1),
  /** Replicas that must hold a write before Kafka acknowledges it to the relay (acks=all); at most KAFKA_REPLICATION_FACTOR. */
  KAFKA_MIN_INSYNC_REPLICAS: z.coerce.number({ message: "must be a whole number" }).int("must be a whole number").min(1, "must be at least 1").max(32_767, "must be at most 32767").default(1),
  APP_HOST: z.string().default("127.0.0.1"),
  APP_PORT: port.default(3000),
  APPLICATION_NUMBER_SERVICE_URL: z.url({ message: "must be an http(s) URL" }).default("http://127.0.0.1:4010"),
  APPLICATION_NUMBER_SERVICE_PORT: port.default(4010),
  APPLICATION_NUMBER_LATENCY_MS: z.coerce.number({ message: "must be a number of milliseconds" }).int().min(0).default(50),
  APPLICATION_NUMBER_FAILURE_RATE: ratio.default(0),
  /** How long the worker waits for one answer from the application-number service before trying again. */
  APPLICATION_NUMBER_TIMEOUT_MS: z.coerce.number({ message: "must be a number of milliseconds" }).int().min(100).default(5_000),
  /** Rounds (each: the client's retries) before a request is recorded as failed; about 2.5 min of backoff at 9. */
  APPLICATION_NUMBER_MAX_ROUNDS: z.coerce.number({ message: "must be a whole number" }).int().min(1).max(20).default(9),
  /**
   * Claims of one scheduled command before it is recorded as failed (each round of the application-number request
   * is one, so this must exceed APPLICATION_NUMBER_MAX_ROUNDS); a command that can never finish stops being retried.
   */
  SCHEDULED_COMMAND_MAX_ATTEMPTS: z.coerce.number({ message: "must be a whole number" }).int("must be a whole number").min(2, "must be at least 2").max(1_000, "must be at most 1000").default(30),
  /** The stand-in's first sequence number (APP-<year>-000123 by default). */
  APPLICATION_NUMBER_FIRST: z.coerce.number({ message: "must be a whole number" }).int().min(1).max(999_999, "must be at most 999999").default(123),
  /**
   * A Confluent-compatible schema registry: every process registers the committed Avro schemas there at start-up and
   * writes and reads the registry's schema ids. Unset: the ids committed in schemas/avro/registry.json.
   */
  SCHEMA_REGISTRY_URL: schemaRegistryUrl.optional(),
  /** HTTP basic auth to the schema registry (both or neither); the stand-in requires them when they are set. */
  SCHEMA_REGISTRY_USERNAME: z.string().min(1).optional(),
  SCHEMA_REGISTRY_PASSWORD: z.string().min(1).optional(),
  /** The schema registry stand-in's port (npm run schema-registry-service). */
  SCHEMA_REGISTRY_SERVICE_PORT: port.default(8081),
  /** The stand-in's first schema id (1 by default), so that separate stand-ins give ids of their own. */
  SCHEMA_REGISTRY_FIRST_ID: z.coerce.number({ message: "must be a whole number" }).int("must be a whole number").min(1, "must be at least 1").max(2_000_000_000, "must be at most 2000000000").default(1),
  PROJECTION_GROUP: z.string().min(1).default("quote-projections"),
  /** How soon the group notices a projector that died: its partitions move to the others after this. */
  PROJECTION_SESSION_TIMEOUT_MS: z.coerce.number({ message: "must be a number of milliseconds" }).int().min(6_000, "must be at least 6000 (the broker's minimum)").default(10_000),
  /**
   * How long a worker's claim on an email, a scheduled command or a bulk decision's item hides it from the other
   * workers: one that dies holding claims leaves them to another after this. Longer than any one of them takes.
   */
  WORKER_CLAIM_LEASE_SECONDS: z.coerce.number({ message: "must be a whole number of seconds" }).int("must be a whole number of seconds").min(5, "must be at least 5").max(3_600, "must be at most 3600").default(DEFAULT_WORKER_CLAIM_LEASE_SECONDS),
  WORKER_POLL_INTERVAL_MS: z.coerce.number({ message: "must be a number of milliseconds" }).int().min(10).default(200),
  /** Partitions whose batches the projector takes at the same time; those fetched together share one transaction. */
  PROJECTION_PARTITIONS_CONCURRENTLY: z.coerce.number({ message: "must be a whole number" }).int("must be a whole number").min(1, "must be at least 1").max(64, "must be at most 64").default(6),
  /** How often the projector copies its read-model checkpoints to the group's committed offsets in Kafka. */
  PROJECTION_COMMIT_INTERVAL_MS: z.coerce.number({ message: "must be a number of milliseconds" }).int().min(100, "must be at least 100").default(5_000),
  /** How often a worker whose relay is not the leader tries to take the relay lock. */
  RELAY_LEADER_RETRY_MS: z.coerce.number({ message: "must be a number of milliseconds" }).int().min(100, "must be at least 100").default(3_000),
  /** Lets a scheduler call POST /api/worker/drain without an agent session (Authorization: Bearer <secret>). */
  WORKER_DRAIN_SECRET: z.string().min(24, "must be at least 24 characters").optional(),
  /** Lets a scraper read GET /api/metrics and the worker's /metrics from off the box (Authorization: Bearer <token>); loopback needs none. */
  METRICS_TOKEN: z.string().min(24, "must be at least 24 characters").optional(),
  /** The worker's own metrics endpoint (GET /metrics); unset: none (several workers on one box would share a fixed port). */
  WORKER_METRICS_PORT: port.optional(),
  /** Where the worker's metrics endpoint listens: 127.0.0.1 by default, 0.0.0.0 for a scraper on another host (with METRICS_TOKEN). */
  WORKER_METRICS_HOST: z.string().trim().min(1).default("127.0.0.1"),
  /** Reverse proxies in front of the app whose X-Forwarded-For is believed (scripts/next-server.ts decides the client address). */
  TRUSTED_PROXIES: proxyList.optional(),
  /** The old name of TRUSTED_PROXIES, still read when TRUSTED_PROXIES is unset. */
  AUTH_TRUSTED_PROXIES: proxyList.optional(),
  /** Quotes one client address may start per minute, counted in PostgreSQL across every web process. */
  QUOTE_START_RATE_LIMIT: z.coerce.number({ message: "must be a whole number" }).int("must be a whole number").min(1, "must be at least 1").default(30),
  /** How long an Idempotency-Key answers repeats (and is refused for another request) before it expires. */
  IDEMPOTENCY_TTL_HOURS: z.coerce.number({ message: "must be a number of hours" }).int("must be a whole number").min(1, "must be at least 1").max(24 * 30, "must be at most 720").default(24),
  /** How long the worker keeps finished work (sent emails' outbox rows, done scheduled commands, finished bulk decisions) before deleting it. */
  FINISHED_WORK_RETENTION_DAYS: z.coerce.number({ message: "must be a number of days" }).int("must be a whole number").min(1, "must be at least 1").max(3650, "must be at most 3650").default(30),
  /** Connections each process may open to PostgreSQL (the pg pool under Prisma). */
  DATABASE_POOL_SIZE: z.coerce.number({ message: "must be a whole number" }).int("must be a whole number").min(1, "must be at least 1").max(500, "must be at most 500").default(20),
  /** Serialises every append behind one global lock, as the first design did: only for benchmarks that compare. */
  EVENT_STORE_GLOBAL_LOCK: z.enum(["true", "false"], { message: "must be true or false" }).default("false").transform((value) => value === "true"),
  /** A customer's access token (cookie, bearer or resume link) unused this many days opens nothing. */
  QUOTE_ACCESS_IDLE_DAYS: z.coerce.number({ message: "must be a number of days" }).int("must be a whole number").min(1, "must be at least 1").max(365, "must be at most 365").default(30),
  /**
   * How long a submitted quote's premium is offered: whole days ("30", to the end of the last day, UTC), or an exact
   * duration with a unit ("90s", "15m", "12h", "3d"), e.g. so an end-to-end test sees a quote expire.
   */
  QUOTE_VALIDITY_DAYS: quoteValidity.default({ days: 30 }),
  /** Approve straight through, without an agent, a submitted quote that no underwriting rule refers. */
  AUTO_APPROVE: z.enum(["true", "false"], { message: "must be true or false" }).default("false").transform((value) => value === "true"),
  /** Regions whose quotes are always referred: country-region codes such as US-FL or CA-QC, or a whole country (GB), comma-separated. */
  UNDERWRITING_REFERRAL_REGIONS: regionList.default([]),
  /** The highest monthly premium, in the quote's currency, not referred to an underwriter; "none" for no limit. */
  UNDERWRITING_PREMIUM_LIMIT: premiumLimit.default(500),
  /** How long a draft nobody submits keeps its personal data, from when it was started; then it is erased (days, a duration such as 90s, or none). */
  PRIVACY_DRAFT_RETENTION_DAYS: retentionPeriod.default(PRIVACY_DRAFT_RETENTION_DAYS * 86_400),
  /** How long a submitted quote keeps its personal data after it ended (approved, rejected, withdrawn or expired); then it is erased. */
  PRIVACY_CLOSED_RETENTION_DAYS: retentionPeriod.default(PRIVACY_CLOSED_RETENTION_DAYS * 86_400),
  /**
   * Wraps each quote's data key (its personal values are encrypted under that key): 32 bytes as 64 hex digits or
   * base64. Required in production (start:web, start:worker); on a developer's machine one is generated once in
   * .data/data-key-encryption-key.
   */
  DATA_KEY_ENCRYPTION_KEY: keyEncryptionKey.optional(),
  /** Earlier keys still able to unwrap data keys during a rotation (comma-separated); `npm run privacy:rotate-keys` re-wraps under the current one. */
  DATA_KEY_ENCRYPTION_KEY_PREVIOUS: z.string().trim().transform((value) => value.split(",").map((key) => key.trim()).filter(Boolean)).pipe(z.array(keyEncryptionKey)).optional(),
  /**
   * The SMTP server that sends the customers' emails. Unset: the local mail catcher (MAIL_CATCHER_SMTP_PORT), which
   * `npm run dev` starts, outside production; in production no email is sent and they wait in the outbox.
   */
  SMTP_URL: smtpUrl.optional(),
  /** The From of the customers' emails. */
  MAIL_FROM: z.string().trim().min(3).default("Family Cover <quotes@family-cover.example>"),
  /** The mail catcher (npm run mail-catcher): its SMTP port, its HTTP port (GET /messages), and its knobs. */
  MAIL_CATCHER_SMTP_PORT: port.default(1025),
  MAIL_CATCHER_HTTP_PORT: port.default(4020),
  MAIL_CATCHER_LATENCY_MS: z.coerce.number({ message: "must be a number of milliseconds" }).int().min(0).max(60_000).default(0),
  MAIL_CATCHER_FAILURE_RATE: ratio.default(0),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /**
   * An OTLP/HTTP collector (Jaeger, Tempo, an OpenTelemetry Collector): when set, the web process (instrumentation.ts)
   * and the worker start the OpenTelemetry SDK and export their spans there (protobuf, to <endpoint>/v1/traces);
   * unset, no SDK is started and tracing costs nothing. The SDK's other OTEL_* variables apply (docs/OPERATIONS.md).
   */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/, message: "must be an http(s) URL of an OTLP/HTTP endpoint (for example http://127.0.0.1:4318)" }).optional(),
  /** The service.name of this process's spans; default quoting-web or quoting-worker. */
  OTEL_SERVICE_NAME: z.string().trim().min(1).optional(),
}).superRefine((env, context) => {
  if (env.MESSAGING_MODE === "kafka" && !env.KAFKA_BROKERS) {
    context.addIssue({ code: "custom", path: ["KAFKA_BROKERS"], message: "must be set when MESSAGING_MODE is kafka (host:port, separated by commas)" });
  }
  if (env.MESSAGING_MODE === "embedded" && env.KAFKA_BROKERS) {
    context.addIssue({ code: "custom", path: ["MESSAGING_MODE"], message: "is embedded, but KAFKA_BROKERS is set: unset KAFKA_BROKERS to run without Kafka, or set MESSAGING_MODE=kafka" });
  }
  if (env.KAFKA_REPLICATION_FACTOR >= 1 && env.KAFKA_MIN_INSYNC_REPLICAS > env.KAFKA_REPLICATION_FACTOR) {
    context.addIssue({ code: "custom", path: ["KAFKA_MIN_INSYNC_REPLICAS"], message: `must be at most KAFKA_REPLICATION_FACTOR (${env.KAFKA_REPLICATION_FACTOR}): with fewer replicas than that, Kafka refuses every acks=all write` });
  }
  if (env.KAFKA_SSL_CA_FILE !== undefined && !env.KAFKA_SSL) {
    context.addIssue({ code: "custom", path: ["KAFKA_SSL_CA_FILE"], message: "is set but KAFKA_SSL is not true: set KAFKA_SSL=true to connect over TLS, or remove KAFKA_SSL_CA_FILE" });
  }
  if (env.KAFKA_SASL_MECHANISM) {
    for (const name of ["KAFKA_SASL_USERNAME", "KAFKA_SASL_PASSWORD"] as const) {
      if (env[name] === undefined) context.addIssue({ code: "custom", path: [name], message: `must be set when KAFKA_SASL_MECHANISM is (${env.KAFKA_SASL_MECHANISM})` });
    }
    if (env.KAFKA_SASL_MECHANISM === "plain" && !env.KAFKA_SSL) {
      context.addIssue({ code: "custom", path: ["KAFKA_SASL_MECHANISM"], message: "plain sends the password as it is: set KAFKA_SSL=true, or use scram-sha-256 or scram-sha-512" });
    }
  } else if (env.KAFKA_SASL_USERNAME !== undefined || env.KAFKA_SASL_PASSWORD !== undefined) {
    context.addIssue({ code: "custom", path: ["KAFKA_SASL_MECHANISM"], message: `must be set (${KAFKA_SASL_MECHANISMS.join(", ")}) when KAFKA_SASL_USERNAME or KAFKA_SASL_PASSWORD is` });
  }
  if ((env.SCHEMA_REGISTRY_USERNAME === undefined) !== (env.SCHEMA_REGISTRY_PASSWORD === undefined)) {
    const missing = env.SCHEMA_REGISTRY_USERNAME === undefined ? "SCHEMA_REGISTRY_USERNAME" : "SCHEMA_REGISTRY_PASSWORD";
    context.addIssue({ code: "custom", path: [missing], message: "must be set with the other of SCHEMA_REGISTRY_USERNAME and SCHEMA_REGISTRY_PASSWORD (basic auth needs both)" });
  }
  if (env.SCHEDULED_COMMAND_MAX_ATTEMPTS <= env.APPLICATION_NUMBER_MAX_ROUNDS) {
    context.addIssue({ code: "custom", path: ["SCHEDULED_COMMAND_MAX_ATTEMPTS"], message: `must be greater than APPLICATION_NUMBER_MAX_ROUNDS (${env.APPLICATION_NUMBER_MAX_ROUNDS}), so the last round's failure can still be recorded` });
  }
});

export type Env = z.infer<typeof envSchema>;
