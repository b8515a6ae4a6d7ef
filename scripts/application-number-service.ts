// The stand-in for the external application-number service: its own HTTP process on 127.0.0.1.
//   POST /application-numbers {"requestId": "..."} → 201 {"requestId", "applicationNumber": "APP-2026-000123"}
//   The same requestId always gets the same number (kept in .data/application-numbers.jsonl across restarts).
//   Knobs: APPLICATION_NUMBER_LATENCY_MS and APPLICATION_NUMBER_FAILURE_RATE at start, or PUT /control at run time;
//   APPLICATION_NUMBER_FIRST sets the first sequence number (separate stand-ins sharing a database stay distinct).
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { z } from "zod";
import { loadConfigOrExit } from "../lib/config";
import { dataDir } from "./lib/paths";
import { loadDotEnv } from "./lib/dotenv";
import { applyControl, readJson, type StandInKnobs } from "./lib/stand-in-knobs";

loadDotEnv();
const env = loadConfigOrExit();
const storePath = process.env.APPLICATION_NUMBER_STORE ?? dataDir("application-numbers.jsonl");
const knobs: StandInKnobs = { latencyMs: env.APPLICATION_NUMBER_LATENCY_MS, failureRate: env.APPLICATION_NUMBER_FAILURE_RATE };
const issued = new Map<string, string>();
const stats = { requests: 0, failures: 0, issued: 0 };

fs.mkdirSync(path.dirname(storePath), { recursive: true });
if (fs.existsSync(storePath)) {
  for (const line of fs.readFileSync(storePath, "utf8").split("\n")) {
    if (!line.trim()) continue;
    const { requestId, applicationNumber } = JSON.parse(line) as { requestId: string; applicationNumber: string };
    issued.set(requestId, applicationNumber);
  }
}

const requestSchema = z.object({ requestId: z.string().trim().min(1, "requestId must not be empty").max(200, "requestId is at most 200 characters") });

function send(res: http.ServerResponse, status: number, body: unknown, contentType = "application/json") {
  res.writeHead(status, { "content-type": contentType });
  res.end(JSON.stringify(body));
}
const problem = (res: http.ServerResponse, status: number, title: string, detail: string) =>
  send(res, status, { type: "about:blank", status, title, detail }, "application/problem+json");

function issue(requestId: string): string {
  const existing = issued.get(requestId);
  if (existing) return existing;
  const number = `APP-${new Date().getFullYear()}-${String(issued.size + env.APPLICATION_NUMBER_FIRST).padStart(6, "0")}`;
  fs.appendFileSync(storePath, `${JSON.stringify({ requestId, applicationNumber: number })}\n`);
  issued.set(requestId, number);
  stats.issued++;
  return number;
}

const server = http.createServer(async (req, res) => {
  try {
    if (req.method === "GET" && req.url === "/health") return send(res, 200, { status: "ok", ...knobs, ...stats });
    if (req.method === "PUT" && req.url === "/control") {
      const applied = await applyControl(req, knobs);
      if (!applied.ok) return problem(res, 400, "Invalid control", applied.problem);
      return send(res, 200, knobs);
    }
    if (req.method === "POST" && req.url === "/application-numbers") {
      const parsed = requestSchema.safeParse(await readJson(req).catch(() => null));
      if (!parsed.success) return problem(res, 400, "Invalid request", parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "));
      stats.requests++;
      if (knobs.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, knobs.latencyMs));
      if (Math.random() < knobs.failureRate) {
        stats.failures++;
        return problem(res, 503, "Service unavailable", "Simulated failure (APPLICATION_NUMBER_FAILURE_RATE)");
      }
      return send(res, 201, { requestId: parsed.data.requestId, applicationNumber: issue(parsed.data.requestId) });
    }
    return problem(res, 404, "Not found", `${req.method} ${req.url} is not a route of this service`);
  } catch (error) {
    return problem(res, 400, "Bad request", (error as Error).message);
  }
});

server.listen(env.APPLICATION_NUMBER_SERVICE_PORT, "127.0.0.1", () => {
  console.log(`application-number service on http://127.0.0.1:${env.APPLICATION_NUMBER_SERVICE_PORT} (latency ${knobs.latencyMs} ms, failure rate ${knobs.failureRate})`);
});
const stop = () => server.close(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
