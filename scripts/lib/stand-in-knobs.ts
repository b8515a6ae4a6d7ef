// What the simulated external services (the application-number stand-in, the mail catcher) share: their knobs,
// changed while they run by PUT /control, and the small JSON bodies they read.
import type http from "node:http";
import { z } from "zod";

export interface StandInKnobs {
  latencyMs: number;
  failureRate: number;
}

const controlSchema = z.object({ latencyMs: z.number().int().min(0).max(60_000).optional(), failureRate: z.number().min(0).max(1).optional() }).strict();

/** A JSON request body of at most 10 KB. */
export async function readJson(req: http.IncomingMessage): Promise<unknown> {
  let body = "";
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 10_000) throw new Error("body too large");
  }
  return JSON.parse(body);
}

/** Applies a PUT /control body to `knobs`; the problem in words when the body is not valid. */
export async function applyControl(req: http.IncomingMessage, knobs: StandInKnobs): Promise<{ ok: true } | { ok: false; problem: string }> {
  const parsed = controlSchema.safeParse(await readJson(req));
  if (!parsed.success) return { ok: false, problem: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") };
  Object.assign(knobs, Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined)));
  return { ok: true };
}
