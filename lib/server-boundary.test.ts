import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";

const root = path.resolve(import.meta.dirname, "..");
const GUARD = 'import "server-only";';

/** Modules that run in the browser too, or in Next's own HTTP server outside the bundles: they hold no secret. */
const SHARED = new Set([
  "lib/customer/page-form-state.ts",
  "lib/customer/wizard-form-data.ts",
  "lib/customer/wizard-form-names.ts",
  "lib/customer/wizard-form-values.ts",
  "lib/customer/wizard-steps.ts",
  "lib/customer/version-cookie.ts",
  "lib/config/environment.ts",
  "lib/config/env-schema.ts",
  "lib/config/key-text.ts",
  "lib/config/defaults.ts",
  "lib/config/redact.ts",
  "lib/http/client-address.ts",
  "lib/http/trusted-proxies.ts",
  "lib/http/early-refusal.ts",
  // Loaded by instrumentation.ts, outside the React server bundles.
  "lib/tracing/sdk.ts",
  "lib/tracing/enabled-flag.ts",
  "lib/tracing/sampler.ts",
]);
const SHARED_FOLDERS = ["lib/domain/", "lib/generated/"];

function sourceFiles(folder: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.tsx?$/.test(entry.name)) found.push(path.relative(root, full));
    }
  };
  walk(path.join(root, folder));
  return found;
}

const isTest = (file: string) => /\.test\.tsx?$/.test(file) || file.includes("/testing/");
const startsWithDirective = (file: string, directive: string) => fs.readFileSync(path.join(root, file), "utf8").trimStart().startsWith(`"${directive}"`);

/** Files a module imports at run time (`import type` is erased), resolved within the repository. */
function runtimeImports(file: string): string[] {
  const text = fs.readFileSync(path.join(root, file), "utf8");
  const specifiers = [...text.matchAll(/^(?:import|export)\s+(?!type\b)(?:[^;]*?\sfrom\s+)?["']([^"']+)["']/gm)].map((m) => m[1]!);
  return specifiers.flatMap((specifier) => {
    const base = specifier.startsWith("@/") ? path.join(root, specifier.slice(2)) : specifier.startsWith(".") ? path.resolve(path.dirname(path.join(root, file)), specifier) : null;
    if (!base) return [];
    const hit = ["", ".ts", ".tsx", "/index.ts", "/index.tsx"].map((ext) => base + ext).find((candidate) => fs.existsSync(candidate) && fs.statSync(candidate).isFile());
    return hit ? [path.relative(root, hit)] : [];
  });
}

describe("server-only boundary", () => {
  it("every server module under lib/ imports server-only, so a client component importing one fails the build", () => {
    const unguarded = sourceFiles("lib").filter(
      (file) => !isTest(file) && !SHARED.has(file) && !SHARED_FOLDERS.some((folder) => file.startsWith(folder)) && !fs.readFileSync(path.join(root, file), "utf8").includes(GUARD),
    );
    assert.deepEqual(unguarded, [], "add `import \"server-only\";` to these (or list them as shared if they hold nothing secret)");
  });

  it("no client component reaches a guarded module (which would fail `next build`)", () => {
    const clientEntries = ["app", "components"].flatMap(sourceFiles).filter((file) => startsWithDirective(file, "use client"));
    assert.ok(clientEntries.length > 10, "client components found");
    const seen = new Set<string>();
    const reached: string[] = [];
    const visit = (file: string, via: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      // A server action imported by a client component is a reference to the server, not code in the bundle.
      if (startsWithDirective(file, "use server")) return;
      if (fs.readFileSync(path.join(root, file), "utf8").includes(GUARD)) reached.push(`${file} (from ${via})`);
      for (const next of runtimeImports(file)) visit(next, file);
    };
    for (const entry of clientEntries) visit(entry, entry);
    assert.deepEqual(reached, []);
  });

  it("the shared modules stay free of secrets: none of them imports a guarded module", () => {
    for (const file of SHARED) {
      for (const imported of runtimeImports(file)) assert.ok(!fs.readFileSync(path.join(root, imported), "utf8").includes(GUARD), `${file} imports ${imported}`);
    }
  });
});
