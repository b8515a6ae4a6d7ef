import "server-only";
import { Pool } from "pg";
import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import type { RateLimiter, RateLimitVerdict } from "./quote-start-throttle";

export interface PostgresRateLimiterOptions {
  databaseUrl: string;
  /** Created at first use if missing (rate-limiter-flexible's own table: key, points, expire). */
  tableName: string;
  /** Attempts allowed per key in each window. */
  points: number;
  windowSeconds: number;
}

/**
 * A fixed-window counter per key in PostgreSQL (one atomic upsert per attempt), so every web process shares the
 * same budget. Connects on first use only: most processes that build the command bus never start a quote.
 */
export function postgresRateLimiter(options: PostgresRateLimiterOptions): RateLimiter {
  let ready: Promise<RateLimiterPostgres> | undefined;
  const limiter = () => {
    if (ready) return ready;
    const pool = new Pool({ connectionString: options.databaseUrl, max: 2, allowExitOnIdle: true });
    // An idle connection the server dropped is replaced on the next query; without a listener it would crash the process.
    pool.on("error", () => {});
    ready = new Promise<RateLimiterPostgres>((resolve, reject) => {
      const created: RateLimiterPostgres = new RateLimiterPostgres(
        { storeClient: pool, storeType: "pool", tableName: options.tableName, keyPrefix: options.tableName, points: options.points, duration: options.windowSeconds },
        (error?: Error) => (error ? reject(error) : resolve(created)),
      );
    }).catch(async (error: unknown) => {
      ready = undefined; // the database may be back for the next attempt
      await pool.end().catch(() => {});
      throw error;
    });
    return ready;
  };

  return {
    async hit(key): Promise<RateLimitVerdict> {
      const store = await limiter();
      try {
        await store.consume(key);
        return { allowed: true };
      } catch (refusal) {
        if (!(refusal instanceof RateLimiterRes)) throw refusal;
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)) };
      }
    },
  };
}
