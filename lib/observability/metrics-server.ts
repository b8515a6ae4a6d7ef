/**
 * The worker's own metrics endpoint: `GET /metrics` on WORKER_METRICS_PORT (and WORKER_METRICS_HOST), with the
 * same access rule as the web's GET /api/metrics (loopback, or METRICS_TOKEN). The client address is the socket's,
 * or what TRUSTED_PROXIES forwarded for when the peer is one of them.
 */
import "server-only";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { compileTrustedProxies, decideClientAddress } from "../http/trusted-proxies";
import { exposition } from "./metrics";
import { mayReadMetrics, METRICS_METHODS } from "./metrics-access";

export interface MetricsServerOptions {
  port: number;
  host: string;
  token: string | undefined;
  trustedProxies: readonly string[];
  onError?: (error: unknown) => void;
}

export interface MetricsServer {
  port: number;
  stop(): Promise<void>;
}

const problem = (res: http.ServerResponse, status: number, title: string, headers: Record<string, string> = {}) => {
  res.writeHead(status, { "content-type": "application/problem+json", "cache-control": "no-store", ...headers });
  res.end(JSON.stringify({ type: "about:blank", title, status }));
};

export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const trust = compileTrustedProxies(options.trustedProxies);
  const server = http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path !== "/metrics") return problem(res, 404, "Not found");
    if (req.method === "OPTIONS") {
      res.writeHead(204, { allow: METRICS_METHODS });
      return res.end();
    }
    if (req.method !== "GET" && req.method !== "HEAD") return problem(res, 405, "Method not allowed", { allow: METRICS_METHODS });
    const forwarded = req.headers["x-forwarded-for"];
    const { clientAddress } = decideClientAddress({ peerAddress: req.socket.remoteAddress, forwardedFor: Array.isArray(forwarded) ? forwarded.join(", ") : forwarded }, trust);
    if (!mayReadMetrics({ clientAddress, authorization: req.headers.authorization }, options.token)) {
      return problem(res, 401, "Sign-in required", { "www-authenticate": 'Bearer realm="metrics"' });
    }
    exposition().then(
      ({ body, contentType }) => {
        res.writeHead(200, { "content-type": contentType, "cache-control": "no-store" });
        res.end(req.method === "HEAD" ? undefined : body);
      },
      (error: unknown) => {
        options.onError?.(error);
        problem(res, 500, "Internal error");
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
