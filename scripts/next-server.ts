// The app's HTTP server: Next.js (development with HMR when NODE_ENV is not production, else the production build)
// behind a small Node server that, on every request, decides the client's address from the socket and the proxies
// the operator trusts (TRUSTED_PROXIES). `next start` / `next dev` keep whatever X-Forwarded-For a client sends, and
// route handlers cannot see the socket. Listens on APP_HOST:APP_PORT (127.0.0.1:3000 by default).
//   tsx scripts/next-server.ts      (npm run dev and npm start run it through scripts/lib/stack.ts)
import { createServer, type IncomingMessage } from "node:http";
import next from "next";
import { loadConfigOrExit } from "../lib/config/environment";
import { CLIENT_ADDRESS_HEADER } from "../lib/http/client-address";
import { earlyRefusal } from "../lib/http/early-refusal";
import { compileTrustedProxies, configuredTrustedProxies, decideClientAddress, type TrustedProxies } from "../lib/http/trusted-proxies";
import { repoRoot } from "./lib/paths";

// Believed only from a trusted proxy; from anyone else Next fills them in itself from the Host header and the socket.
const PROXY_ONLY_HEADERS = ["x-forwarded-host", "x-forwarded-proto", "x-forwarded-port"];

/** Overwrites x-client-address, and leaves X-Forwarded-For holding only what trusted proxies wrote. */
function settleClientAddress(request: IncomingMessage, trust: TrustedProxies) {
  const received = request.headers["x-forwarded-for"];
  const decision = decideClientAddress({ peerAddress: request.socket.remoteAddress, forwardedFor: Array.isArray(received) ? received.join(", ") : received }, trust);
  request.headers[CLIENT_ADDRESS_HEADER] = decision.clientAddress;
  if (decision.forwardedFor) request.headers["x-forwarded-for"] = decision.forwardedFor;
  else delete request.headers["x-forwarded-for"];
  if (!decision.peerIsTrustedProxy) for (const name of PROXY_ONLY_HEADERS) delete request.headers[name];
}

const env = loadConfigOrExit();
const dev = env.NODE_ENV !== "production";
const trust = compileTrustedProxies(configuredTrustedProxies(env));
const hostname = env.APP_HOST;
const port = env.APP_PORT;

const server = createServer();
// Registered before Next attaches its own upgrade listener (dev HMR), so websocket requests are settled first too.
server.on("upgrade", (request: IncomingMessage) => settleClientAddress(request, trust));

// With httpServer, Next attaches its upgrade handler (dev HMR websockets) to this server on the first request.
const app = next({ dev, dir: repoRoot, hostname, port, httpServer: server });
const handle = app.getRequestHandler();
await app.prepare();

server.on("request", (request, response) => {
  settleClientAddress(request, trust);
  const refusal = earlyRefusal(request);
  if (refusal) {
    response.writeHead(refusal.status, { "content-type": "application/problem+json", connection: "close", "cache-control": "no-store", ...(refusal.allow ? { allow: refusal.allow } : {}) });
    // Answer, then drop the connection rather than read what the client is still sending.
    response.end(JSON.stringify({ type: "about:blank", ...refusal }), () => request.socket.destroy());
    return;
  }
  handle(request, response).catch((error: unknown) => {
    console.error("request failed", error);
    if (!response.headersSent) response.writeHead(500, { "content-type": "text/plain" });
    response.end("Internal error");
  });
});

server.listen(port, hostname, () => {
  console.log(`> Ready on http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${port} (${dev ? "development" : "production"}; trusted proxies: ${configuredTrustedProxies(env).join(", ") || "none"})`);
});

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  // In-flight requests get a few seconds to finish; idle keep-alive connections close now.
  const closed = new Promise((resolve) => server.close(resolve));
  server.closeIdleConnections();
  await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
  await app.close();
  process.exit(0);
}
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
