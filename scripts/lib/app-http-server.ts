// The app's HTTP server: Next.js behind a small Node server that, on every request, decides the client's address from
// the socket and the proxies the operator trusts (TRUSTED_PROXIES). `next start` / `next dev` keep whatever
// X-Forwarded-For a client sends, and route handlers cannot see the socket. Run by scripts/next-server.ts
// (npm run dev, npm start, the tests) and scripts/start-web.ts (npm run start:web).
import { createServer, type IncomingMessage } from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import type createNextServer from "next";
import type { Env } from "../../lib/config/environment";
import { CLIENT_ADDRESS_HEADER } from "../../lib/http/client-address";
import { earlyRefusal } from "../../lib/http/early-refusal";
import { compileTrustedProxies, configuredTrustedProxies, decideClientAddress, type TrustedProxies } from "../../lib/http/trusted-proxies";
import type { StandaloneOutput } from "./standalone";

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

export type AppServerTarget =
  /** The development server (HMR) on the checkout, or a production build that has no standalone output. */
  | { kind: "checkout"; dir: string; dev: boolean }
  /** The production build's standalone output (next.config.js `output: "standalone"`). */
  | { kind: "standalone"; output: StandaloneOutput };

/** Serves the app on APP_HOST:APP_PORT until SIGTERM or SIGINT, which let in-flight requests finish (a few seconds). */
export async function serveApp(env: Env, target: AppServerTarget): Promise<void> {
  const trust = compileTrustedProxies(configuredTrustedProxies(env));
  const hostname = env.APP_HOST;
  const port = env.APP_PORT;
  const dev = target.kind === "checkout" && target.dev;
  let next: typeof createNextServer;
  let dir: string;
  if (target.kind === "standalone") {
    dir = target.output.dir;
    // As the standalone server.js does: Next takes the build's configuration from here instead of next.config.js,
    // and runs from the standalone folder's own copy of itself, the one its compiled routes require.
    process.env.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify(target.output.config);
    next = createRequire(path.join(dir, "server.js"))("next") as typeof createNextServer;
  } else {
    dir = target.dir;
    next = (await import("next")).default;
  }

  const server = createServer();
  // Registered before Next attaches its own upgrade listener (dev HMR), so websocket requests are settled first too.
  server.on("upgrade", (request: IncomingMessage) => settleClientAddress(request, trust));

  // With httpServer, Next attaches its upgrade handler (dev HMR websockets) to this server on the first request.
  const app = next({ dev, dir, hostname, port, httpServer: server });
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

  const served = target.kind === "standalone" ? `production, standalone build ${target.output.buildId}` : dev ? "development" : "production";
  server.listen(port, hostname, () => {
    console.log(`> Ready on http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${port} (${served}; trusted proxies: ${configuredTrustedProxies(env).join(", ") || "none"})`);
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
}
