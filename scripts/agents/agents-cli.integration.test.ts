import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { after, describe, it } from "node:test";
import { getAuth } from "../../lib/auth/auth";
import { signInRequest } from "../../lib/auth/testing/agents";
import { config } from "../../lib/config";
import { prisma } from "../../lib/db/prisma";
import { DEMO_AGENT, ensureDemoAgent } from "./ensure-demo-agent";
import { SERVER_CONDITION } from "../lib/server-node";

after(() => prisma().$disconnect());

const tsx = path.resolve("node_modules/.bin/tsx");
const cli = (args: string[], env: Record<string, string> = {}) => spawnSync(tsx, [SERVER_CONDITION, "scripts/agents/create-agent.ts", ...args], { encoding: "utf8", env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
const canSignIn = async (email: string, password: string) => (await getAuth().handler(signInRequest(email, password))).status === 200;

describe("npm run agents:create", () => {
  it("adds an agent with the given password, who can then sign in", async () => {
    const email = `Cli-${randomUUID().slice(0, 8)}@Example.com`;
    const run = cli(["--email", email, "--name", "Casey Cli", "--password", "a long enough password"]);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`Created agent Casey Cli <${email.toLowerCase()}>`));
    assert.doesNotMatch(run.stdout, /Password:/, "a given password is not printed");
    assert.equal((await prisma().user.findUnique({ where: { email: email.toLowerCase() } }))?.role, "agent");
    assert.equal(await canSignIn(email.toLowerCase(), "a long enough password"), true);

    const again = cli(["--email", email, "--name", "Casey Again", "--password", "a long enough password"]);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /already exists/);
  });

  it("generates and prints a password when none is given off a terminal", async () => {
    const email = `gen-${randomUUID().slice(0, 8)}@example.com`;
    const run = cli(["--email", email, "--name", "Gen Erated"]);
    assert.equal(run.status, 0, run.stderr);
    const password = run.stdout.match(/Password: (\S+)/)?.[1];
    assert.ok(password && password.length >= 20, run.stdout);
    assert.equal(await canSignIn(email, password), true);
  });

  it("refuses bad input with the reason, and creates nothing", async () => {
    const short = cli(["--email", `short-${randomUUID().slice(0, 8)}@example.com`, "--name", "S", "--password", "short"]);
    assert.equal(short.status, 2);
    assert.match(short.stderr, /password: Password must be at least 12 characters/);
    const missing = cli(["--email", "x@example.com"]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /--email and --name are required/);
  });
});

describe("the dev runner's demo agent", () => {
  it("exists after each start, with a freshly printed password that works (and the old one does not)", async () => {
    const first = await ensureDemoAgent(config().DATABASE_URL);
    assert.equal(first?.email, DEMO_AGENT.email);
    const second = await ensureDemoAgent(config().DATABASE_URL);
    assert.ok(second && second.password !== first!.password);
    assert.equal(await canSignIn(second.email, second.password), true);
    assert.equal(await canSignIn(first!.email, first!.password), false);
    assert.equal(await prisma().user.count({ where: { email: DEMO_AGENT.email } }), 1);
  });

  it("is not created in production", async () => {
    const env = process.env as Record<string, string | undefined>;
    const previous = env.NODE_ENV;
    env.NODE_ENV = "production";
    try {
      assert.equal(await ensureDemoAgent(config().DATABASE_URL), null);
    } finally {
      if (previous === undefined) delete env.NODE_ENV;
      else env.NODE_ENV = previous;
    }
  });
});
