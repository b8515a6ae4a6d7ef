import http, { type IncomingHttpHeaders } from "node:http";
import path from "node:path";
import { repoRoot } from "../lib/paths";
import { startProcess, waitForHttp } from "../lib/processes";
import { TEST_PORTS } from "./test-environment";

export interface AppServer {
  baseUrl: string;
  stop(): Promise<void>;
}

/**
 * The app as `npm run dev` serves it, on a port of its own: scripts/next-server.ts in front of Next.js's
 * development server, against the integration suite's database. Development rather than the production build:
 * it compiles the current source in seconds, where a build takes minutes (more than a test file may). Its build
 * folder is NEXT_DIST_DIR's, like the e2e suite's; with the default `.next`, a developer's `npm run dev` in the same
 * checkout holds Next's lock on it, so run the suites beside one with their own NEXT_DIST_DIR (see README).
 * `env` adds to or overrides the suite's environment; TEST_APP_VERBOSE=1 shows the server's log.
 */
export async function startAppServer(env: Record<string, string | undefined> = {}): Promise<AppServer> {
  const baseUrl = `http://127.0.0.1:${TEST_PORTS.integrationApp}`;
  const server = startProcess("app", path.join(repoRoot, "node_modules", ".bin", "tsx"), ["scripts/next-server.ts"], {
    cwd: repoRoot,
    quiet: !process.env.TEST_APP_VERBOSE,
    env: { NODE_ENV: "development", APP_HOST: "127.0.0.1", APP_PORT: String(TEST_PORTS.integrationApp), NEXT_TELEMETRY_DISABLED: "1", ...env },
  });
  try {
    await Promise.race([
      waitForHttp(`${baseUrl}/api/health`, 90_000),
      server.exited.then((code) => Promise.reject(new Error(`scripts/next-server.ts exited with ${code} before answering (TEST_APP_VERBOSE=1 shows why)`))),
    ]);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { baseUrl, stop: () => server.stop() };
}

/** Makes the development server compile a route now, so that a test's timed part does not include it. */
export async function compileRoute(baseUrl: string, routePath: string): Promise<void> {
  await send(`${baseUrl}${routePath}`);
}

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * One HTTP request sent from a chosen local address: on Linux every 127.0.0.0/8 address reaches a server on
 * 127.0.0.1, so a test can be a client at 127.0.0.1 and a proxy at 127.0.0.2 at once.
 */
export function send(url: string, options: { method?: string; headers?: Record<string, string>; body?: string; from?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: options.method ?? "GET", headers: options.headers, localAddress: options.from ?? "127.0.0.1", agent: false }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
      response.on("error", reject);
    });
    request.on("error", reject);
    request.end(options.body);
  });
}
