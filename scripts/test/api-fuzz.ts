// The api-fuzz suite: schemathesis (pinned; scripts/test/install-schemathesis.sh) fuzzes the running app from its own
// OpenAPI document, GET /api/openapi.json, with the checks in scripts/test/schemathesis.toml: no 5xx, and no status,
// content type or body the document does not describe. Then every documented path is asked with the methods it does
// not list, which must answer 405. Run by scripts/test/run-all.ts against the e2e stack.
import { execFile } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "../lib/paths";
import { serverNodeArgs } from "../lib/server-node";

const execFileAsync = promisify(execFile);

/** The pinned schemathesis's `st`, installed first if it is not there yet. */
export async function schemathesisBinary(): Promise<string> {
  const { stdout } = await execFileAsync("bash", [path.join(repoRoot, "scripts/test/install-schemathesis.sh")], { cwd: repoRoot, timeout: 600_000 });
  return stdout.trim().split("\n").at(-1)!;
}

/**
 * What the fuzzer authenticates with (the values scripts/test/schemathesis.toml reads): a quote started here, with
 * its access token, and an agent created with the CLI and signed in through Better Auth.
 */
export async function fuzzCredentials(baseUrl: string, env: NodeJS.ProcessEnv): Promise<Record<string, string>> {
  const started = await fetch(`${baseUrl}/api/quotes`, { method: "POST" });
  if (started.status !== 201) throw new Error(`POST /api/quotes answered ${started.status}: ${await started.text()}`);
  const quote = (await started.json()) as { quoteId: string; accessToken: string };

  const email = `api-fuzz-${randomUUID().slice(0, 8)}@example.com`;
  const password = `pw-${randomBytes(12).toString("base64url")}`;
  await execFileAsync(process.execPath, serverNodeArgs("scripts/agents/create-agent.ts", "--email", email, "--name", "API fuzz", "--password", password), {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
  const signIn = await fetch(`${baseUrl}/api/auth/sign-in/email`, {
    method: "POST",
    // A client address of its own: the fuzzer's sign-in attempts from 127.0.0.1 use up that address's limit.
    headers: { "content-type": "application/json", origin: baseUrl, "x-forwarded-for": `10.${[...randomBytes(3)].join(".")}` },
    body: JSON.stringify({ email, password }),
  });
  const session = signIn.headers
    .getSetCookie()
    .map((cookie) => cookie.match(/^better-auth\.session_token=([^;]+)/)?.[1])
    .find(Boolean);
  if (signIn.status !== 200 || !session) throw new Error(`signing the fuzzer's agent in answered ${signIn.status}: ${await signIn.text()}`);

  return { API_FUZZ_QUOTE_ID: quote.quoteId, API_FUZZ_QUOTE_TOKEN: quote.accessToken, API_FUZZ_AGENT_SESSION: session };
}

/** `st` arguments for one run against `baseUrl`, its JUnit report written to `reportPath`. */
export function schemathesisArgs(baseUrl: string, reportPath: string): string[] {
  return ["--config-file", path.join(repoRoot, "scripts/test/schemathesis.toml"), "run", `${baseUrl}/api/openapi.json`, "--url", baseUrl, "--no-color", "--report", "junit", "--report-junit-path", reportPath];
}

/** Operations from the JUnit report: passed, and failed (a finding or an error). */
export function countOperations(reportPath: string): { passed: number; failed: number } | null {
  if (!fs.existsSync(reportPath)) return null;
  const report = fs.readFileSync(reportPath, "utf8");
  const cases = report.match(/<testcase\b[\s\S]*?(?:\/>|<\/testcase>)/g) ?? [];
  const failed = cases.filter((testCase) => /<(failure|error)\b/.test(testCase)).length;
  return { passed: cases.length - failed, failed };
}

const PROBED_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "TRACE"];

function status(url: string, method: string, clientAddress: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, headers: { "x-forwarded-for": clientAddress } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on("error", reject);
    request.end();
  });
}

/** Each documented path asked with every method it does not list (HEAD and OPTIONS aside), which must answer 405. */
export async function undocumentedMethodsRefused(baseUrl: string, quoteId: string): Promise<{ passed: number; failed: string[] }> {
  const document = (await (await fetch(`${baseUrl}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
  const result = { passed: 0, failed: [] as string[] };
  // An address of its own: the fuzzer used up 127.0.0.1's sign-in limit, which Better Auth applies before routing.
  const clientAddress = `10.${[...randomBytes(3)].join(".")}`;
  for (const [template, operations] of Object.entries(document.paths)) {
    for (const method of PROBED_METHODS.filter((method) => !(method.toLowerCase() in operations))) {
      const answer = await status(`${baseUrl}${template.replace("{quoteId}", quoteId)}`, method, clientAddress);
      if (answer === 405) result.passed++;
      else result.failed.push(`${method} ${template} answered ${answer}, not 405`);
    }
  }
  return result;
}
