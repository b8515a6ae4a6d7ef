/**
 * A steady stream of customer journeys over the HTTP API (start, the three wizard pages, submit: five commands each),
 * at a fixed rate of commands per second, spread over every web server in turn. Each journey waits for its previous
 * command's answer, as a customer's browser does; journeys overlap to hold the rate.
 */

export interface LoadCounts {
  sent: number;
  acknowledged: number;
  /** Answers other than 2xx, and requests that failed or timed out, by what went wrong. */
  failed: Map<string, number>;
  journeysCompleted: number;
}

/** A wizard page's answers, as a customer gives them. */
export const PAGE_ANSWERS = {
  geographic: { country: "US", state: "CA", city: "San Francisco", zipCode: "94103" },
  contact: { email: "soak@example.com", phoneNumber: "+1 415 555 0100" },
  family: { numberOfDependents: 2, spouseName: "Grace", childrenNames: ["Alan", "Barbara"] },
};
const PAGES = ["geographic", "contact", "family"] as const;

export async function call(base: string, method: string, pathname: string, body: unknown, headers: Record<string, string>) {
  const res = await fetch(`${base}${pathname}`, {
    method,
    headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** Runs journeys at `commandsPerSecond` until `stop` resolves; the counts are live. */
export function startSteadyLoad(baseUrls: string[], commandsPerSecond: number, stop: Promise<void>): { counts: LoadCounts; finished: Promise<void> } {
  const counts: LoadCounts = { sent: 0, acknowledged: 0, failed: new Map(), journeysCompleted: 0 };
  let stopped = false;
  void stop.then(() => (stopped = true));
  let next = 0;
  const fail = (reason: string) => counts.failed.set(reason, (counts.failed.get(reason) ?? 0) + 1);

  /** Each command of a journey waits for a slot of the rate, so the whole load stays at `commandsPerSecond`. */
  const intervalMs = 1000 / commandsPerSecond;
  let nextSlot = performance.now();
  const slot = async () => {
    const at = Math.max(nextSlot, performance.now());
    nextSlot = at + intervalMs;
    await new Promise((resolve) => setTimeout(resolve, at - performance.now()));
  };

  async function command(run: () => Promise<{ status: number; body: Record<string, unknown> }>): Promise<Record<string, unknown> | null> {
    await slot();
    if (stopped) return null;
    counts.sent++;
    try {
      const { status, body } = await run();
      if (status >= 200 && status < 300) {
        counts.acknowledged++;
        return body;
      }
      fail(`HTTP ${status}`);
    } catch (error) {
      fail((error as Error).name === "TimeoutError" ? "timeout" : (error as Error).message);
    }
    return null;
  }

  async function journey(): Promise<void> {
    const base = baseUrls[next++ % baseUrls.length]!;
    const started = await command(() => call(base, "POST", "/api/quotes", undefined, {}));
    if (!started) return;
    const auth = { authorization: `Bearer ${String(started.accessToken)}` };
    for (const page of PAGES) {
      if (!(await command(() => call(base, "PUT", `/api/quotes/${String(started.quoteId)}/${page}-details`, PAGE_ANSWERS[page], auth)))) return;
    }
    if (await command(() => call(base, "POST", `/api/quotes/${String(started.quoteId)}/submit`, undefined, auth))) counts.journeysCompleted++;
  }

  // Enough journeys at once that answers taking a second or two do not hold the rate back.
  const concurrency = Math.max(4, Math.ceil(commandsPerSecond / 2));
  const finished = Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (!stopped) await journey();
    }),
  ).then(() => {});
  return { counts, finished };
}
