// The local mail catcher: an SMTP server that keeps what it is sent and shows it, instead of delivering it.
//   SMTP on 127.0.0.1:MAIL_CATCHER_SMTP_PORT (1025); the worker sends there when SMTP_URL is not set (development).
//   GET  /messages[?to=addr]  the caught mail as JSON, oldest first, each with its messageId and how many times a
//                             message with that Message-ID was delivered (`deliveries`: a resend shows as 2)
//   DELETE /messages          forgets them
//   GET  /                    a page listing them; GET /health the knobs and counts
//   Knobs: MAIL_CATCHER_LATENCY_MS (delay before answering each message) and MAIL_CATCHER_FAILURE_RATE (the share of
//   messages refused with 451, a temporary failure) at start, or PUT /control {"latencyMs", "failureRate"} at run time.
//   Ports: MAIL_CATCHER_SMTP_PORT / MAIL_CATCHER_HTTP_PORT, or --smtp-port=N / --http-port=N.
import http from "node:http";
import { simpleParser, type AddressObject } from "mailparser";
import { SMTPServer } from "smtp-server";
import { loadConfigOrExit } from "../lib/config";
import { loadDotEnv } from "./lib/dotenv";
import { applyControl, type StandInKnobs } from "./lib/stand-in-knobs";
import type { CaughtEmail } from "../lib/notifications/testing/mail-catcher";

loadDotEnv();
const env = loadConfigOrExit();
const flag = (name: string) => process.argv.find((arg) => arg.startsWith(`--${name}=`))?.split("=")[1];
const smtpPort = Number(flag("smtp-port") ?? env.MAIL_CATCHER_SMTP_PORT);
const httpPort = Number(flag("http-port") ?? env.MAIL_CATCHER_HTTP_PORT);
const HOST = "127.0.0.1";
const knobs: StandInKnobs = { latencyMs: env.MAIL_CATCHER_LATENCY_MS, failureRate: env.MAIL_CATCHER_FAILURE_RATE };
const MAX_MESSAGES = 1_000;
const MAX_MESSAGE_BYTES = 5 * 1024 * 1024;

/** What is kept of each message; `GET /messages` adds how many times its Message-ID came. */
type CaughtMessage = Omit<CaughtEmail, "deliveries"> & { id: number };
const messages: CaughtMessage[] = [];
const deliveriesByMessageId = new Map<string, number>();
const stats = { received: 0, refused: 0 };
let nextId = 1;

const addresses = (field: AddressObject | AddressObject[] | undefined) =>
  (Array.isArray(field) ? field : field ? [field] : []).flatMap((group) => group.value.map((entry) => entry.address?.toLowerCase() ?? "")).filter(Boolean);

const smtp = new SMTPServer({
  name: "mail-catcher.localhost",
  banner: "mail catcher: nothing sent here leaves this machine",
  authOptional: true,
  // Plain SMTP on loopback only: offering STARTTLS would need a certificate and protect nothing here.
  disabledCommands: ["STARTTLS"],
  size: MAX_MESSAGE_BYTES,
  logger: false,
  onData(stream, session, callback) {
    simpleParser(stream)
      .then(async (parsed) => {
        if (knobs.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, knobs.latencyMs));
        if (Math.random() < knobs.failureRate) {
          stats.refused++;
          return callback(Object.assign(new Error("Simulated temporary failure (MAIL_CATCHER_FAILURE_RATE)"), { responseCode: 451 }));
        }
        const envelopeTo = session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase());
        const messageId = parsed.messageId ?? null;
        messages.push({
          id: nextId++,
          messageId,
          from: parsed.from?.text ?? "",
          to: envelopeTo.length ? envelopeTo : addresses(parsed.to),
          subject: parsed.subject ?? "",
          text: parsed.text ?? "",
          html: typeof parsed.html === "string" ? parsed.html : "",
          receivedAt: new Date().toISOString(),
        });
        if (messages.length > MAX_MESSAGES) messages.shift();
        if (messageId) deliveriesByMessageId.set(messageId, (deliveriesByMessageId.get(messageId) ?? 0) + 1);
        stats.received++;
        callback();
      })
      .catch((error: Error) => callback(error));
  },
});
smtp.on("error", (error) => console.error(`smtp: ${error.message}`));

const withDeliveries = (message: CaughtMessage): CaughtEmail & { id: number } => ({ ...message, deliveries: message.messageId ? (deliveriesByMessageId.get(message.messageId) ?? 1) : 1 });
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

function send(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

function page(): string {
  const rows = [...messages]
    .reverse()
    .map((m) => `<tr><td>${escapeHtml(m.receivedAt)}</td><td>${escapeHtml(m.to.join(", "))}</td><td><details><summary>${escapeHtml(m.subject)}</summary><pre>${escapeHtml(m.text)}</pre></details></td><td>${withDeliveries(m).deliveries}</td></tr>`)
    .join("\n");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Mail catcher</title>
<style>body{font-family:sans-serif;margin:2rem}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left;vertical-align:top}pre{white-space:pre-wrap}</style></head>
<body><h1>Mail catcher</h1><p>${messages.length} message(s) caught on SMTP ${HOST}:${smtpPort}; nothing here was delivered. JSON: <a href="/messages">/messages</a>.</p>
<table><thead><tr><th>received</th><th>to</th><th>subject</th><th>deliveries of its Message-ID</th></tr></thead><tbody>${rows}</tbody></table></body></html>`;
}

const api = http.createServer(async (req, res) => {
  try {
    const url = new URL(req.url ?? "/", `http://${HOST}`);
    if (req.method === "GET" && url.pathname === "/health") return send(res, 200, { status: "ok", ...knobs, ...stats, held: messages.length });
    if (req.method === "GET" && url.pathname === "/messages") {
      const to = url.searchParams.get("to")?.toLowerCase();
      return send(res, 200, messages.filter((m) => !to || m.to.includes(to)).map(withDeliveries));
    }
    if (req.method === "DELETE" && url.pathname === "/messages") {
      messages.length = 0;
      deliveriesByMessageId.clear();
      return send(res, 200, { deleted: true });
    }
    if (req.method === "PUT" && url.pathname === "/control") {
      const applied = await applyControl(req, knobs);
      if (!applied.ok) return send(res, 400, { error: applied.problem });
      return send(res, 200, knobs);
    }
    if (req.method === "GET" && url.pathname === "/") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      return res.end(page());
    }
    return send(res, 404, { error: `${req.method} ${url.pathname} is not a route of the mail catcher` });
  } catch (error) {
    return send(res, 400, { error: (error as Error).message });
  }
});

smtp.listen(smtpPort, HOST, () => {
  api.listen(httpPort, HOST, () => {
    console.log(`mail catcher: SMTP on ${HOST}:${smtpPort}, caught mail on http://${HOST}:${httpPort}/ (latency ${knobs.latencyMs} ms, failure rate ${knobs.failureRate})`);
  });
});
const stop = () => smtp.close(() => api.close(() => process.exit(0)));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
