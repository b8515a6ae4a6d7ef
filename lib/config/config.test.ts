import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { ConfigError, parseConfig } from "./index";

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

  it("stops a process on a bad value with a message naming the variable, not a stack trace", () => {
    const result = spawnSync(process.execPath, ["--import", "tsx", "scripts/worker.ts"], {
      env: { ...process.env, KAFKA_BROKERS: "::nonsense" },
      encoding: "utf8",
      timeout: 30_000,
    });
    assert.equal(result.status, 1);
    assert.match(result.stderr, /KAFKA_BROKERS=::nonsense: must be a comma-separated list of host:port/);
    assert.doesNotMatch(result.stderr, /^\s+at /m, "no stack trace");
  });
});
