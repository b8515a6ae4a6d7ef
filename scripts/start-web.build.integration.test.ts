// npm run start:web serves the production build's standalone output against the suite's real PostgreSQL and Kafka.
// Needs a production build with standalone output in NEXT_DIST_DIR: the test runner makes it before the integration
// suite whenever a *.build.integration.test.ts file runs (and the e2e suite reuses it).
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { repoRoot } from "./lib/paths";
import { startProcess, waitForHttp, type ManagedProcess } from "./lib/processes";
import { send } from "./test/app-server";
import { TEST_PORTS } from "./test/test-environment";

const distDir = process.env.NEXT_DIST_DIR || ".next";
const baseUrl = `http://127.0.0.1:${TEST_PORTS.integrationApp}`;
let web: ManagedProcess;
const lines: string[] = [];

before(async () => {
  assert.ok(fs.existsSync(path.join(repoRoot, distDir, "standalone", "server.js")), `no standalone build in ${distDir}: run \`NEXT_DIST_DIR=${distDir} npm run build\`, or npm test, which makes it`);
  const env = { APP_HOST: "127.0.0.1", APP_PORT: String(TEST_PORTS.integrationApp), NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" as const };
  // What `npm run start:web` runs, without npm in between: the server is the process stopped below.
  const [command, ...args] = (JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts["start:web"]!.split(" ");
  web = startProcess("start:web", command === "node" ? process.execPath : command!, args, { cwd: repoRoot, env, quiet: !process.env.TEST_APP_VERBOSE });
  for (const stream of [web.child.stdout!, web.child.stderr!]) stream.on("data", (chunk: Buffer) => lines.push(...chunk.toString().split("\n")));
  await Promise.race([
    waitForHttp(`${baseUrl}/api/health`, 60_000),
    web.exited.then((code) => Promise.reject(new Error(`npm run start:web exited with ${code}:\n${lines.join("\n")}`))),
  ]);
});
after(async () => {
  await web?.stop();
});

describe("npm run start:web", () => {
  it("serves the standalone build behind the app's own server: health, readiness against the real database and Kafka", async () => {
    assert.ok(lines.some((line) => /Ready on http:\/\/127\.0\.0\.1:\d+ \(production, standalone build /.test(line)), lines.join("\n"));
    const health = await fetch(`${baseUrl}/api/health`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: "ok" });
    const ready = await fetch(`${baseUrl}/api/ready`);
    assert.equal(ready.status, 200, await ready.clone().text());
    assert.deepEqual(await ready.json(), { status: "ready" });
  });

  it("serves a page and the static assets it loads, which the standalone output leaves out until they are copied beside it", async () => {
    const page = await fetch(`${baseUrl}/`);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /Family cover, quoted in minutes/);
    const assets = [...new Set([...html.matchAll(/\/_next\/static\/[^"'\s)]+\.(?:js|css)/g)].map((m) => m[0]))];
    assert.ok(assets.length > 0, "the page loads scripts or styles");
    for (const asset of assets) assert.equal((await fetch(`${baseUrl}${asset}`)).status, 200, asset);
  });

  it("answers through the app's own server, which refuses what Next would not handle well before Next sees it", async () => {
    const trace = await send(`${baseUrl}/`, { method: "TRACE" });
    assert.equal(trace.status, 405);
    assert.match(String(trace.headers["content-type"]), /^application\/problem\+json/);
    assert.match(String(trace.headers.allow), /GET/);
  });

  it("stops on SIGTERM, letting requests finish, with exit code 0", async () => {
    await web.stop();
    assert.equal(await web.exited, 0);
  });
});
