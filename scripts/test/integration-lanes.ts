import { Kafka, logLevel } from "kafkajs";
import pg from "pg";
import { parseConfig } from "../../lib/config/environment";
import { configuredTopicSettings, ensureTopics } from "../../lib/messaging/topics";

/**
 * Lanes for the integration files that run in process: each lane has a database of its own (a copy of the migrated
 * test database) and a topic and projection group of its own on the same broker, so files in different lanes run at
 * once without one reading, draining or counting another's events. Most of these files wait on the broker and the
 * database rather than use a core, which is what makes running several at once pay on two cores.
 */
export type LaneEnv = Record<string, string>;

const laneDatabaseUrl = (databaseUrl: string, lane: number) => {
  const url = new URL(databaseUrl);
  url.pathname = `${url.pathname}_lane${lane}`;
  return url.toString();
};

/** The environments of `count` lanes: the first is the suite's own; the others get copies made now. */
export async function prepareLanes(count: number, env: LaneEnv, log: (line: string) => void): Promise<LaneEnv[]> {
  const lanes: LaneEnv[] = [env];
  if (count <= 1) return lanes;
  const source = new URL(env.DATABASE_URL!).pathname.slice(1);
  const admin = new Kafka({ clientId: "test-lanes", brokers: env.KAFKA_BROKERS!.split(","), logLevel: logLevel.WARN }).admin();
  await admin.connect();
  try {
    // CREATE DATABASE … TEMPLATE copies a database nobody else is connected to: run from the maintenance database.
    const maintenanceUrl = new URL(env.DATABASE_URL!);
    maintenanceUrl.pathname = "/postgres";
    const maintenance = new pg.Client({ connectionString: maintenanceUrl.toString() });
    await maintenance.connect();
    try {
      for (let lane = 1; lane < count; lane++) {
        const url = laneDatabaseUrl(env.DATABASE_URL!, lane);
        const name = new URL(url).pathname.slice(1);
        await maintenance.query(`DROP DATABASE IF EXISTS "${name}"`);
        await maintenance.query(`CREATE DATABASE "${name}" TEMPLATE "${source}"`);
        const laneEnv = { ...env, DATABASE_URL: url, KAFKA_EVENTS_TOPIC: `quote-events-lane${lane}`, PROJECTION_GROUP: `quote-projections-lane${lane}` };
        const settings = parseConfig({ ...process.env, ...laneEnv });
        await ensureTopics(admin, configuredTopicSettings(settings), undefined, laneEnv.KAFKA_EVENTS_TOPIC);
        lanes.push(laneEnv);
      }
    } finally {
      await maintenance.end();
    }
  } catch (error) {
    log(`integration: one lane only, the others could not be prepared (${(error as Error).message})`);
    return [env];
  } finally {
    await admin.disconnect();
  }
  return lanes;
}

/** Runs each item in the first free lane, in the order given; resolves when all have run. */
export async function runInLanes<T>(items: T[], lanes: LaneEnv[], runOne: (item: T, env: LaneEnv, lane: number) => Promise<void>, stop: () => boolean): Promise<void> {
  const queue = [...items];
  await Promise.all(
    lanes.map(async (env, lane) => {
      for (let item = queue.shift(); item !== undefined && !stop(); item = queue.shift()) await runOne(item, env, lane);
    }),
  );
}
