import "server-only";
import { Kafka, logLevel, type Admin } from "kafkajs";
import { config } from "../config";

/** A kafkajs client for the configured brokers; null in embedded mode (no KAFKA_BROKERS). */
export function createKafka(clientSuffix: string, brokers = config().KAFKA_BROKERS): Kafka | null {
  if (!brokers) return null;
  return new Kafka({
    clientId: `${config().KAFKA_CLIENT_ID}-${clientSuffix}`,
    brokers,
    logLevel: logLevel.WARN,
    connectionTimeout: 3000,
    requestTimeout: 10000,
    retry: { initialRetryTime: 200, retries: 8, maxRetryTime: 5000 },
  });
}

const globalForKafka = globalThis as unknown as { readinessAdmin?: Promise<Admin> };

/** True when the broker answers a metadata request within the timeout. Reuses one admin connection per process. */
export async function isKafkaReachable(timeoutMs = 2000): Promise<boolean> {
  const kafka = createKafka("readiness");
  if (!kafka) return false;
  globalForKafka.readinessAdmin ??= (async () => {
    const admin = kafka.admin({ retry: { retries: 0 } });
    await admin.connect();
    return admin;
  })();
  try {
    const admin = await withTimeout(globalForKafka.readinessAdmin, timeoutMs);
    await withTimeout(admin.describeCluster(), timeoutMs);
    return true;
  } catch {
    // Drop the connection so the next probe starts afresh.
    const stale = globalForKafka.readinessAdmin;
    globalForKafka.readinessAdmin = undefined;
    stale?.then((admin) => admin.disconnect()).catch(() => {});
    return false;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error) => (clearTimeout(timer), reject(error)),
    );
  });
}

/** Closes the readiness probe's connection (tests and shutdown). */
export async function closeKafkaReadinessProbe() {
  const admin = globalForKafka.readinessAdmin;
  globalForKafka.readinessAdmin = undefined;
  await admin?.then((a) => a.disconnect()).catch(() => {});
}
