import type { WorkerRole } from "../../lib/worker/run-worker";

export type ProductionProcess = { kind: "web" } | { kind: "worker"; roles: readonly WorkerRole[] };

/**
 * The settings a production entry point (npm run start:web, start:worker) refuses to start without, each problem
 * naming its variable. The development defaults (an embedded PostgreSQL, a generated auth secret, the local
 * application-number stand-in, embedded mode when no broker is named) suit a developer's machine; in a deployment a
 * forgotten variable must stop the process instead of quietly changing what it does. Each process is asked only for
 * what it uses: the web tier never calls the application-number service, the worker never signs a session cookie.
 */
export function missingProductionSettings(env: NodeJS.ProcessEnv, target: ProductionProcess): string[] {
  const set = (name: string) => (env[name] ?? "").trim() !== "";
  const problems: string[] = [];
  if (!set("DATABASE_URL")) {
    problems.push("DATABASE_URL is not set: the PostgreSQL server to use, e.g. postgresql://user:password@db.example:5432/quotes (a production process never starts an embedded database)");
  }
  if (target.kind === "web" && !set("BETTER_AUTH_SECRET")) {
    problems.push("BETTER_AUTH_SECRET is not set: it signs agents' session cookies; a random string of at least 32 characters (generate one with `openssl rand -base64 32`)");
  }
  if (!set("DATA_KEY_ENCRYPTION_KEY")) {
    problems.push("DATA_KEY_ENCRYPTION_KEY is not set: it wraps the keys the customers' personal data is encrypted under; 32 random bytes as base64 or hex (generate one with `openssl rand -base64 32`), the same in every web and worker process");
  }
  if (target.kind === "worker" && target.roles.includes("scheduled") && !set("APPLICATION_NUMBER_SERVICE_URL")) {
    problems.push("APPLICATION_NUMBER_SERVICE_URL is not set: the application-number service the worker calls, e.g. https://numbers.example (a production process never starts the local stand-in)");
  }
  const mode = (env.MESSAGING_MODE ?? "").trim();
  if (!set("KAFKA_BROKERS") && mode !== "embedded") {
    problems.push(
      mode === "kafka"
        ? "KAFKA_BROKERS is not set, and MESSAGING_MODE is kafka: the brokers, host:port separated by commas"
        : "KAFKA_BROKERS is not set: the Kafka brokers, host:port separated by commas; to run without Kafka (embedded mode: the projector reads the event log in PostgreSQL), set MESSAGING_MODE=embedded instead",
    );
  }
  return problems;
}

/** For the entry points: print every problem and exit 1, or return. */
export function requireProductionSettings(target: ProductionProcess, name: string): void {
  const problems = missingProductionSettings(process.env, target);
  if (problems.length === 0) return;
  console.error(`${name} cannot start, missing settings:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  process.exit(1);
}
