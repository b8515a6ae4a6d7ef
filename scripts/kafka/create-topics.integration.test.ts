// `npm run kafka:topics`, the release step that creates the app's topics, against the suite's real broker (whose
// topics the test environment created with the suite's settings): it leaves existing topics alone, stops a release
// whose settings disagree with the topics that exist, and names a missing KAFKA_BROKERS.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { DEFAULT_QUOTE_EVENTS_PARTITIONS } from "../../lib/messaging/topics";
import { repoRoot } from "../lib/paths";

function createTopics(extra: Record<string, string | undefined>) {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const [name, value] of Object.entries(extra)) if (value === undefined) delete env[name];
  const result = spawnSync("npm", ["run", "--silent", "kafka:topics"], { cwd: repoRoot, env, encoding: "utf8", timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, output: result.stdout + result.stderr };
}

describe("npm run kafka:topics", () => {
  const partitions = Number(process.env.KAFKA_TOPIC_PARTITIONS || DEFAULT_QUOTE_EVENTS_PARTITIONS);

  it("leaves topics that match the settings as they are, and succeeds when run again", () => {
    for (let run = 0; run < 2; run++) {
      const result = createTopics({});
      assert.equal(result.status, 0, result.output);
      assert.match(result.stdout, new RegExp(`^quote-events: exists, ${partitions} partition\\(s\\)$`, "m"));
      assert.match(result.stdout, /^quote-events\.dlq: exists, 1 partition\(s\)$/m);
    }
  });

  it("stops the release (exit 1) when the topics differ from the settings, saying how, and changes nothing", () => {
    const result = createTopics({ KAFKA_TOPIC_PARTITIONS: String(partitions + 1) });
    assert.equal(result.status, 1, result.output);
    assert.match(result.stderr, new RegExp(`quote-events exists with ${partitions} partitions \\(KAFKA_TOPIC_PARTITIONS=${partitions + 1}\\); it is left as it is`));
    assert.match(createTopics({}).stdout, new RegExp(`^quote-events: exists, ${partitions} partition\\(s\\)$`, "m"));
  });

  it("names KAFKA_BROKERS when it is not set", () => {
    const result = createTopics({ KAFKA_BROKERS: undefined, MESSAGING_MODE: undefined });
    assert.equal(result.status, 2, result.output);
    assert.match(result.stderr, /KAFKA_BROKERS is not set/);
    assert.doesNotMatch(result.output, /^\s+at /m, "no stack trace");
  });
});
