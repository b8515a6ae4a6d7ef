import "server-only";
import pg from "pg";
import { APPENDED_CHANNEL } from "../eventstore/append-statement";
import type { Logger } from "../logging/logger";

/** The session-level advisory lock whose holder is the one relay that publishes. */
export const RELAY_LEADER_LOCK = 7_316_003;
/** The leader's connection is named this + its worker id, which is how the status finds the leader. */
export const RELAY_CONNECTION_PREFIX = "quoting-relay:";

export interface RelayLeadershipOptions {
  databaseUrl: string;
  workerId: string;
  log: Logger;
  /** How often a worker that is not the leader tries to take the lock. */
  retryMs: number;
  /** How often the leader checks that its connection (and so its lock) is still alive. */
  checkMs?: number;
}

export interface RelayLeadership {
  /** True while this process holds the lock on a live connection. */
  isLeader(): boolean;
  /**
   * Resolves after `ms`, or sooner on an `events_appended` notification (one that came since the last wait counts)
   * or a change of leadership.
   */
  wait(ms: number): Promise<void>;
  /** Ends the current wait at once. */
  wake(): void;
  stop(): Promise<void>;
}

/**
 * One dedicated connection per worker that runs the relay: it LISTENs on `events_appended` (appends notify in their
 * own transaction, so the relay starts right after a commit instead of at its next poll) and holds the relay lock
 * (`pg_try_advisory_lock`, session level). A worker without the lock does not publish and tries again every
 * `retryMs`; when the leader dies or its connection drops, the server releases the lock with the session and
 * another worker takes it. A dropped connection is reconnected with backoff; meanwhile this worker does not publish.
 */
export function startRelayLeadership(options: RelayLeadershipOptions): RelayLeadership {
  const checkMs = options.checkMs ?? 2_000;
  let client: pg.Client | null = null;
  let leader = false;
  let stopped = false;
  let notified = false;
  let wake: (() => void) | null = null;
  let timer: NodeJS.Timeout | null = null;
  let failures = 0;
  let working: Promise<void> = Promise.resolve();

  const signal = () => {
    notified = true;
    wake?.();
  };

  const schedule = (ms: number, step: () => Promise<void>) => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      working = step();
    }, ms);
  };

  const setLeader = (value: boolean) => {
    if (leader === value) return;
    leader = value;
    options.log.info({ workerId: options.workerId }, value ? "this worker is now the relay leader" : "this worker is no longer the relay leader");
    signal();
  };

  function dropped(lost: pg.Client, reason: unknown) {
    if (client !== lost) return;
    client = null;
    setLeader(false);
    if (stopped) return;
    failures++;
    const retryInMs = Math.min(5_000, 250 * 2 ** Math.min(failures - 1, 5));
    options.log.warn({ err: reason, retryInMs }, "relay connection lost; not publishing until it is back");
    lost.end().catch(() => {});
    schedule(retryInMs, connect);
  }

  async function connect(): Promise<void> {
    const next = new pg.Client({ connectionString: options.databaseUrl, application_name: `${RELAY_CONNECTION_PREFIX}${options.workerId}`, keepAlive: true, connectionTimeoutMillis: 5_000 });
    client = next;
    next.on("error", (error) => dropped(next, error));
    next.on("end", () => dropped(next, new Error("connection ended")));
    next.on("notification", (message) => {
      if (message.channel === APPENDED_CHANNEL) signal();
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${APPENDED_CHANNEL}`);
    } catch (error) {
      dropped(next, error);
      return;
    }
    if (client !== next) return;
    failures = 0;
    await tryLock(next);
  }

  async function tryLock(on: pg.Client): Promise<void> {
    if (stopped || client !== on) return;
    try {
      const { rows } = await on.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [RELAY_LEADER_LOCK]);
      if (client !== on) return;
      if (rows[0]?.locked) {
        setLeader(true);
        schedule(checkMs, () => check(on));
      } else schedule(options.retryMs, () => tryLock(on));
    } catch (error) {
      dropped(on, error);
    }
  }

  /** A half-open connection would leave this worker publishing beside a new leader: prove it is alive. */
  async function check(on: pg.Client): Promise<void> {
    if (stopped || client !== on) return;
    let expired: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      expired = setTimeout(() => reject(new Error(`no answer within ${checkMs * 2} ms`)), checkMs * 2);
    });
    try {
      await Promise.race([on.query("SELECT 1"), timeout]);
      schedule(checkMs, () => check(on));
    } catch (error) {
      dropped(on, error);
    } finally {
      clearTimeout(expired);
    }
  }

  working = connect();

  return {
    isLeader: () => leader && !stopped,
    wait(ms: number) {
      if (notified || stopped) {
        notified = false;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(sleeping);
          wake = null;
          notified = false;
          resolve();
        };
        const sleeping = setTimeout(done, ms);
        wake = done;
      });
    },
    wake: signal,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      wake?.();
      await working.catch(() => {});
      const last = client;
      client = null;
      leader = false;
      // Ending the session releases the lock at once.
      await last?.end().catch(() => {});
    },
  };
}

/** The relay lock taken once, for a one-off publisher such as the drain. */
export interface HeldRelayLock {
  /**
   * Proves that the lock's connection is still alive, so the lock still held; false once it is not (the server
   * released the lock with the session, and a worker's relay may have taken it).
   */
  stillHeld(timeoutMs?: number): Promise<boolean>;
  release(): Promise<void>;
}

/**
 * Takes the relay lock if no relay holds it, on a connection of its own named like a relay's leader connection, so
 * that the worker status shows `holder` as the relay leader meanwhile. Null when another session holds it.
 */
export async function tryTakeRelayLock(databaseUrl: string, holder: string): Promise<HeldRelayLock | null> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: `${RELAY_CONNECTION_PREFIX}${holder}`, keepAlive: true, connectionTimeoutMillis: 5_000 });
  let alive = true;
  client.on("error", () => (alive = false));
  client.on("end", () => (alive = false));
  await client.connect();
  let locked = false;
  try {
    const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [RELAY_LEADER_LOCK]);
    locked = rows[0]?.locked === true;
  } finally {
    if (!locked) await client.end().catch(() => {});
  }
  if (!locked) return null;
  return {
    async stillHeld(timeoutMs = 5_000) {
      if (!alive) return false;
      let expired: NodeJS.Timeout | undefined;
      try {
        await Promise.race([client.query("SELECT 1"), new Promise((_, reject) => (expired = setTimeout(() => reject(new Error("no answer")), timeoutMs)))]);
        return alive;
      } catch {
        alive = false;
        return false;
      } finally {
        clearTimeout(expired);
      }
    },
    async release() {
      if (alive) await client.query("SELECT pg_advisory_unlock($1)", [RELAY_LEADER_LOCK]).catch(() => {});
      // Ending the session releases the lock in any case.
      await client.end().catch(() => {});
    },
  };
}
