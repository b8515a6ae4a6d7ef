import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { resolveAuthSecret, authBaseUrl } from "../auth/settings";
import { ConfigError, parseConfig } from "./index";
import { displayValue, maskUrlPassword } from "./redact";
import { serverNodeArgs } from "../../scripts/lib/server-node";

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    parseConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.problems;
  }
  assert.fail("expected a ConfigError");
};

describe("configuration", () => {
  it("gives every default when nothing is set (embedded mode)", () => {
    const env = parseConfig({});
    assert.equal(env.KAFKA_BROKERS, undefined);
    assert.match(env.DATABASE_URL, /^postgresql:\/\/.*127\.0\.0\.1:54329\/quotes$/);
    assert.equal(env.APP_PORT, 3000);
  });

  it("reads a broker list into Kafka mode", () => {
    assert.deepEqual(parseConfig({ KAFKA_BROKERS: "127.0.0.1:9092, 127.0.0.1:9093" }).KAFKA_BROKERS, ["127.0.0.1:9092", "127.0.0.1:9093"]);
  });

  for (const [name, value, problem] of [
    ["KAFKA_BROKERS", "::nonsense", /host:port/],
    ["DATABASE_URL", "mysql://x@y/z", /postgresql:\/\//],
    ["APP_PORT", "70000", /between 1 and 65535/],
    ["APPLICATION_NUMBER_FAILURE_RATE", "1.5", /between 0 and 1/],
    ["LOG_LEVEL", "loud", /Invalid option/i],
  ] as const) {
    it(`names ${name} and the problem when it is ${value}`, () => {
      assert.throws(
        () => parseConfig({ [name]: value }),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError);
          assert.equal(error.problems.length, 1);
          assert.ok(error.problems[0]!.startsWith(`${name}=${value}: `), error.problems[0]);
          assert.match(error.problems[0]!, problem);
          return true;
        },
      );
    });
  }

  describe("never prints a secret", () => {
    it("hides the whole value of a variable named like a secret", () => {
      const [problem] = problemsOf({ WORKER_DRAIN_SECRET: "tiny-drain-secret" });
      assert.equal(problem, "WORKER_DRAIN_SECRET=(hidden): must be at least 24 characters");
      for (const name of ["BETTER_AUTH_SECRET", "SMTP_PASSWORD", "STRIPE_API_KEY", "GITHUB_TOKEN"]) assert.equal(displayValue(name, "hunter2-value"), "(hidden)", name);
      assert.equal(displayValue("KAFKA_BROKERS", "::nonsense"), "::nonsense", "other values are shown as they are");
    });

    it("masks the password in DATABASE_URL, even when the URL does not parse", () => {
      const [problem] = problemsOf({ DATABASE_URL: "mysql://app:s3cret-pa55@db.example:3306/quotes" });
      assert.ok(problem!.startsWith("DATABASE_URL=mysql://app:***@db.example:3306/quotes: must be a postgresql:// URL"), problem);
      assert.doesNotMatch(problem!, /s3cret-pa55/);
      const [unparseable] = problemsOf({ DATABASE_URL: "postgresql://app:p@ss:w0rd@db.example:54x/quotes?sslpassword=k3y" });
      assert.equal(unparseable, "DATABASE_URL=postgresql://app:***@db.example:54x/quotes?sslpassword=***: must be a postgresql:// URL (for example postgresql://user:pass@127.0.0.1:5432/quotes)");
    });

    it("masks URL passwords and password parameters, and leaves URLs without one alone", () => {
      assert.equal(maskUrlPassword("postgresql://user:pass@host/db"), "postgresql://user:***@host/db");
      assert.equal(maskUrlPassword("postgresql://:pass@host/db"), "postgresql://:***@host/db");
      assert.equal(maskUrlPassword("postgresql://host/db?user=app&password=pass"), "postgresql://host/db?user=app&password=***");
      assert.equal(maskUrlPassword("postgresql://user@host:5432/db"), "postgresql://user@host:5432/db");
      assert.equal(maskUrlPassword("http://127.0.0.1:4010"), "http://127.0.0.1:4010");
    });

    it("the auth settings' messages hide BETTER_AUTH_SECRET and a password in BETTER_AUTH_URL", () => {
      const secret = "short-but-secret";
      assert.throws(
        () => resolveAuthSecret({ env: { NODE_ENV: "production", BETTER_AUTH_SECRET: secret }, baseUrl: "https://quotes.example.com" }),
        (error: Error) => error.message.startsWith("BETTER_AUTH_SECRET=(hidden): must be at least 32 characters") && !error.message.includes(secret),
      );
      assert.throws(
        () => authBaseUrl({ BETTER_AUTH_URL: "ftp://admin:letmein@quotes.example.com" }),
        (error: Error) => error.message === "BETTER_AUTH_URL=ftp://admin:***@quotes.example.com: must be an http(s) URL, like https://quotes.example.com",
      );
    });

    it("a process stopped by a bad secret prints the variable's name, never its value", () => {
      const result = spawnSync(process.execPath, serverNodeArgs("scripts/worker.ts"), {
        env: { ...process.env, WORKER_DRAIN_SECRET: "tiny-drain-secret", DATABASE_URL: "mysql://app:s3cret-pa55@db.example/quotes" },
        encoding: "utf8",
        timeout: 30_000,
      });
      assert.equal(result.status, 1);
      assert.match(result.stderr, /WORKER_DRAIN_SECRET=\(hidden\): must be at least 24 characters/);
      assert.match(result.stderr, /DATABASE_URL=mysql:\/\/app:\*\*\*@db\.example\/quotes: /);
      assert.doesNotMatch(result.stderr + result.stdout, /tiny-drain-secret|s3cret-pa55/);
    });
  });

  describe("Kafka TLS and SASL", () => {
    const caFile = path.join(os.tmpdir(), `kafka-ca-${process.pid}.pem`);
    before(() => fs.writeFileSync(caFile, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"));
    after(() => fs.rmSync(caFile, { force: true }));
    const secret = "s3cret-kafka-pa55";

    it("reads a managed Kafka's settings, the mechanism in either case", () => {
      const env = parseConfig({ KAFKA_BROKERS: "kafka.example:9096", KAFKA_SSL: "true", KAFKA_SSL_CA_FILE: caFile, KAFKA_SASL_MECHANISM: "SCRAM-SHA-512", KAFKA_SASL_USERNAME: "app", KAFKA_SASL_PASSWORD: secret });
      assert.deepEqual([env.KAFKA_SSL, env.KAFKA_SSL_CA_FILE, env.KAFKA_SASL_MECHANISM, env.KAFKA_SASL_USERNAME], [true, caFile, "scram-sha-512", "app"]);
      assert.equal(parseConfig({}).KAFKA_SSL, false);
    });

    for (const [settings, expected] of [
      [{ KAFKA_SASL_MECHANISM: "gssapi", KAFKA_SASL_USERNAME: "app", KAFKA_SASL_PASSWORD: secret }, ["KAFKA_SASL_MECHANISM=gssapi: must be one of scram-sha-256, scram-sha-512, plain"]],
      [{ KAFKA_SASL_MECHANISM: "scram-sha-256" }, ["KAFKA_SASL_USERNAME=(unset): must be set when KAFKA_SASL_MECHANISM is (scram-sha-256)", "KAFKA_SASL_PASSWORD=(unset): must be set when KAFKA_SASL_MECHANISM is (scram-sha-256)"]],
      [{ KAFKA_SASL_MECHANISM: "scram-sha-512", KAFKA_SASL_USERNAME: "app" }, ["KAFKA_SASL_PASSWORD=(unset): must be set when KAFKA_SASL_MECHANISM is (scram-sha-512)"]],
      [{ KAFKA_SASL_USERNAME: "app", KAFKA_SASL_PASSWORD: secret }, ["KAFKA_SASL_MECHANISM=(unset): must be set (scram-sha-256, scram-sha-512, plain) when KAFKA_SASL_USERNAME or KAFKA_SASL_PASSWORD is"]],
      [{ KAFKA_SASL_MECHANISM: "plain", KAFKA_SASL_USERNAME: "app", KAFKA_SASL_PASSWORD: secret }, ["KAFKA_SASL_MECHANISM=plain: plain sends the password as it is: set KAFKA_SSL=true, or use scram-sha-256 or scram-sha-512"]],
      [{ KAFKA_SSL: "yes" }, ["KAFKA_SSL=yes: must be true or false"]],
      [{ KAFKA_SSL: "true", KAFKA_SSL_CA_FILE: "/nonexistent/ca.pem" }, ["KAFKA_SSL_CA_FILE=/nonexistent/ca.pem: cannot be read (ENOENT): must be the path of a PEM file of CA certificates"]],
    ] as const) {
      it(`refuses ${JSON.stringify(settings).replace(secret, "…")}, naming the setting and never the password`, () => {
        const problems = problemsOf(settings);
        assert.deepEqual(problems, expected);
        assert.ok(problems.every((problem) => !problem.includes(secret)));
      });
    }

    it("refuses a CA file that holds no certificate, and one given without KAFKA_SSL=true", () => {
      assert.deepEqual(problemsOf({ KAFKA_SSL: "true", KAFKA_SSL_CA_FILE: path.join(import.meta.dirname, "defaults.ts") }), [
        `KAFKA_SSL_CA_FILE=${path.join(import.meta.dirname, "defaults.ts")}: holds no PEM certificate (-----BEGIN CERTIFICATE-----)`,
      ]);
      assert.deepEqual(problemsOf({ KAFKA_SSL_CA_FILE: caFile }), [`KAFKA_SSL_CA_FILE=${caFile}: is set but KAFKA_SSL is not true: set KAFKA_SSL=true to connect over TLS, or remove KAFKA_SSL_CA_FILE`]);
    });

    it("hides KAFKA_SASL_PASSWORD's value when it is what is wrong", () => {
      assert.equal(displayValue("KAFKA_SASL_PASSWORD", secret), "(hidden)");
    });
  });

  describe("an external schema registry", () => {
    const secret = "s3cret-registry-pa55";

    it("is off by default; reads its URL and basic-auth credentials", () => {
      assert.equal(parseConfig({}).SCHEMA_REGISTRY_URL, undefined);
      const env = parseConfig({ SCHEMA_REGISTRY_URL: "https://registry.example:8081", SCHEMA_REGISTRY_USERNAME: "app", SCHEMA_REGISTRY_PASSWORD: secret });
      assert.deepEqual([env.SCHEMA_REGISTRY_URL, env.SCHEMA_REGISTRY_USERNAME, env.SCHEMA_REGISTRY_PASSWORD], ["https://registry.example:8081", "app", secret]);
    });

    for (const [settings, expected] of [
      [{ SCHEMA_REGISTRY_URL: "registry.example:8081" }, ["SCHEMA_REGISTRY_URL=registry.example:8081: must be an http(s) URL (for example https://registry.example:8081)"]],
      [{ SCHEMA_REGISTRY_URL: `https://app:${secret}@registry.example` }, ["SCHEMA_REGISTRY_URL=https://app:***@registry.example: must not hold credentials: put them in SCHEMA_REGISTRY_USERNAME and SCHEMA_REGISTRY_PASSWORD"]],
      [{ SCHEMA_REGISTRY_URL: "https://registry.example", SCHEMA_REGISTRY_USERNAME: "app" }, ["SCHEMA_REGISTRY_PASSWORD=(unset): must be set with the other of SCHEMA_REGISTRY_USERNAME and SCHEMA_REGISTRY_PASSWORD (basic auth needs both)"]],
      [{ SCHEMA_REGISTRY_PASSWORD: secret }, ["SCHEMA_REGISTRY_USERNAME=(unset): must be set with the other of SCHEMA_REGISTRY_USERNAME and SCHEMA_REGISTRY_PASSWORD (basic auth needs both)"]],
    ] as const) {
      it(`refuses ${JSON.stringify(settings).replace(secret, "…")}, naming the setting and never the password`, () => {
        const problems = problemsOf(settings);
        assert.deepEqual(problems, expected);
        assert.ok(problems.every((problem) => !problem.includes(secret)));
      });
    }
  });

  it("caps a scheduled command's attempts (default 30), above the application-number rounds", () => {
    assert.equal(parseConfig({}).SCHEDULED_COMMAND_MAX_ATTEMPTS, 30);
    assert.equal(parseConfig({ SCHEDULED_COMMAND_MAX_ATTEMPTS: "12" }).SCHEDULED_COMMAND_MAX_ATTEMPTS, 12);
    const [problem] = problemsOf({ SCHEDULED_COMMAND_MAX_ATTEMPTS: "5", APPLICATION_NUMBER_MAX_ROUNDS: "9" });
    assert.equal(problem, "SCHEDULED_COMMAND_MAX_ATTEMPTS=5: must be greater than APPLICATION_NUMBER_MAX_ROUNDS (9), so the last round's failure can still be recorded");
  });

  it("stops a process on a bad value with a message naming the variable, not a stack trace", () => {
    const result = spawnSync(process.execPath, serverNodeArgs("scripts/worker.ts"), {
      env: { ...process.env, KAFKA_BROKERS: "::nonsense" },
      encoding: "utf8",
      timeout: 30_000,
    });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /KAFKA_BROKERS=::nonsense: must be a comma-separated list of host:port/);
    assert.doesNotMatch(result.stderr, /^\s+at /m, "no stack trace");
  });
});
