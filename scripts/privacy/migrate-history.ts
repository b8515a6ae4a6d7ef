// npm run privacy:migrate-history — encrypts the personal values written before encryption existed, in two steps, each
// safe to stop and run again (docs/OPERATIONS.md, "Encrypting the history", gives the order of a switch-over):
//   -- --events                     encrypts in place every plain personal value left in the events table
//   -- --copy --to <topic>          copies KAFKA_EVENTS_TOPIC, up to its end as it is at the start, into <topic>, plain
//                                   personal values encrypted; <topic> is created like the source when missing
//   -- --copy --to <topic> --follow [--until-caught-up]
//                                   keeps copying what the relay publishes, until Ctrl-C (or until nothing is left)
// It prints counts and quote ids only, never a personal value.
import { parseArgs } from "node:util";
import { loadConfigOrExit } from "../../lib/config";
import { createPrismaClient } from "../../lib/db/prisma";
import { configuredSchemaRegistry } from "../../lib/messaging/avro/configured-registry";
import { createKafka } from "../../lib/messaging/kafka-client";
import { quoteEventsTopic } from "../../lib/messaging/topics";
import { dataKeyring } from "../../lib/privacy/configured-keyring";
import { copyTopic } from "../../lib/privacy/history-migration/copy-topic";
import { encryptStoredEvents } from "../../lib/privacy/history-migration/encrypt-stored-events";
import { loadDotEnv } from "../lib/dotenv";

const USAGE = "usage: npm run privacy:migrate-history -- --events | --copy --to <new-topic> [--follow [--until-caught-up]]";

loadDotEnv();
const env = loadConfigOrExit();
let args: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    options: { events: { type: "boolean" }, copy: { type: "boolean" }, to: { type: "string" }, follow: { type: "boolean" }, "until-caught-up": { type: "boolean" } },
    strict: true,
  }).values;
}
try {
  args = parse();
} catch (error) {
  console.error(`${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
if (!args.events && !args.copy) {
  console.error(USAGE);
  process.exit(2);
}
if (args.copy && (!args.to || (args["until-caught-up"] && !args.follow))) {
  console.error(args.to ? "--until-caught-up goes with --follow" : `--copy needs --to <new-topic>\n${USAGE}`);
  process.exit(2);
}
if (args.copy && !env.KAFKA_BROKERS?.length) {
  console.error("--copy needs KAFKA_BROKERS: the brokers of the topic to copy.");
  process.exit(2);
}

const db = createPrismaClient(env.DATABASE_URL);
const keyring = dataKeyring(db);
try {
  if (args.events) {
    console.log("events: encrypting the plain personal values of the events table");
    const result = await encryptStoredEvents({
      db,
      keyring,
      onBatch: (p) => console.log(`events: ${p.scanned} personal event(s) read (to position ${p.position}); ${p.events} rewritten so far`),
    });
    console.log(
      `events: done — ${result.scanned} personal event(s) read; ${result.values} plain value(s) in ${result.events} event(s) rewritten: ` +
        `${result.quotesEncrypted} quote(s) encrypted (${result.keysCreated} data key(s) made), ${result.quotesErased} erased quote(s) given the erased marker`,
    );
  }
  if (args.copy) {
    const source = quoteEventsTopic(env);
    const target = args.to!;
    const stop = new AbortController();
    process.on("SIGINT", () => {
      console.log("copy: stopping after the batch in hand (run again to carry on)");
      stop.abort();
    });
    console.log(`copy: ${source} → ${target}${args.follow ? (args["until-caught-up"] ? ", following until caught up" : ", following until Ctrl-C") : ", up to the source's end as it is now"}`);
    let lastPrint = 0;
    const result = await copyTopic({
      kafka: createKafka("history-copy", env)!,
      db,
      keyring,
      registry: await configuredSchemaRegistry(env),
      source,
      target,
      follow: args.follow,
      untilCaughtUp: args["until-caught-up"],
      signal: stop.signal,
      onProgress: (p) => {
        if (Date.now() - lastPrint < 1_000) return;
        lastPrint = Date.now();
        console.log(`copy: ${p.copied} record(s) copied (${p.encrypted} encrypted, ${p.erased} erased, ${p.asIs} as they were)`);
      },
    });
    console.log(
      `copy: done — ${target} ${result.targetCreated ? "created" : "existed"} with ${result.partitions} partition(s); ${result.alreadyCopied} record(s) were there from an earlier run; ` +
        `${result.copied} copied now: ${result.encrypted} re-encoded encrypted, ${result.erased} of erased quotes given the erased marker, ${result.asIs} as they were` +
        (result.undecodable ? `, ${result.undecodable} that are no event (copied as they were; the projector parks them)` : ""),
    );
  }
} catch (error) {
  console.error(`migrate-history: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await db.$disconnect();
}
process.exit(process.exitCode ?? 0);
