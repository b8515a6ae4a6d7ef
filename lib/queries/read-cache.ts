import "server-only";
import pg from "pg";
import { READ_MODEL_CHANNEL } from "../projections/apply-batch";

/** A safety net only: entries are dropped as soon as the projector announces a change. */
const MAX_AGE_MS = 30_000;
const MAX_ENTRIES = 5_000;

/**
 * The server's cache of hot reads (the agents' list, a quote's details and timeline). The projector announces
 * every applied batch on a Postgres channel (NOTIFY, delivered on commit); the cache listens and drops what
 * changed, so nothing older than the last applied event is served once it is applied. While the listener is not
 * connected, the cache is bypassed.
 *
 * A load that was running when a change was announced may have read the data from before it: its result is
 * returned to its caller but not stored. Each invalidation takes the next number of a sequence; a load notes the
 * number before it starts and stores its result only if nothing it depends on was invalidated since.
 */
export function createReadCache(databaseUrl: string) {
  const entries = new Map<string, { value: unknown; at: number; quoteId: string | null }>();
  let listening = false;
  let client: pg.Client | null = null;

  /** The number of the latest invalidation of any kind (entries with quoteId null depend on every change). */
  let sequence = 0;
  /** The number of the latest invalidation of everything ("*", or the listener reconnecting). */
  let clearedAt = 0;
  /** The number of each quote's latest invalidation, kept only while some load is running. */
  const quoteChangedAt = new Map<string, number>();
  let loadsRunning = 0;

  const clearAll = () => {
    clearedAt = ++sequence;
    entries.clear();
  };
  const invalidate = (payload: string) => {
    if (payload === "*") return clearAll();
    const changed = new Set(payload.split(","));
    const at = ++sequence;
    if (loadsRunning > 0) {
      // Unbounded growth is not worth the precision: past the cap, treat the change as a change to everything.
      if (quoteChangedAt.size + changed.size > MAX_ENTRIES) clearedAt = at;
      else for (const quoteId of changed) quoteChangedAt.set(quoteId, at);
    }
    for (const [key, entry] of entries) if (entry.quoteId === null || changed.has(entry.quoteId)) entries.delete(key);
  };
  /** Whether a load that started at `startedAt` may store its result for `quoteId`. */
  const stillCurrent = (quoteId: string | null, startedAt: number) => {
    if (quoteId === null) return sequence === startedAt;
    return clearedAt <= startedAt && (quoteChangedAt.get(quoteId) ?? 0) <= startedAt;
  };

  async function listen() {
    const next = new pg.Client({ connectionString: databaseUrl });
    next.on("notification", (message) => invalidate(message.payload ?? "*"));
    next.on("error", () => reconnect());
    next.on("end", () => reconnect());
    await next.connect();
    await next.query(`LISTEN ${READ_MODEL_CHANNEL}`);
    client = next;
    // Whatever changed while we were not listening is unknown: start empty.
    clearAll();
    listening = true;
  }
  let reconnecting: NodeJS.Timeout | null = null;
  function reconnect() {
    listening = false;
    clearAll();
    client?.removeAllListeners();
    client?.end().catch(() => {});
    client = null;
    reconnecting ??= setTimeout(() => {
      reconnecting = null;
      listen().catch(() => reconnect());
    }, 1_000);
    reconnecting.unref();
  }
  const started = listen().catch(() => reconnect());

  return {
    /** The cached value for `key`, or `load()`'s result (cached when the listener is up). `quoteId` null = any change. */
    async get<T>(key: string, quoteId: string | null, load: () => Promise<T>, accept: (value: T) => boolean = () => true): Promise<T> {
      await started;
      const hit = entries.get(key);
      if (listening && hit && Date.now() - hit.at < MAX_AGE_MS && accept(hit.value as T)) return hit.value as T;
      const startedAt = sequence;
      loadsRunning++;
      try {
        const value = await load();
        if (listening && stillCurrent(quoteId, startedAt)) {
          if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
          entries.set(key, { value, at: Date.now(), quoteId });
        }
        return value;
      } finally {
        if (--loadsRunning === 0) quoteChangedAt.clear();
      }
    },
    size: () => entries.size,
    async close() {
      listening = false;
      if (reconnecting) clearTimeout(reconnecting);
      client?.removeAllListeners();
      await client?.end().catch(() => {});
    },
  };
}

export type ReadCache = ReturnType<typeof createReadCache>;

/** No caching (the worker, scripts and most tests). */
export const noCache: Pick<ReadCache, "get"> = { get: (_key, _quoteId, load) => load() };
