import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import type { NextConfig } from "next";
import { API_CONTENT_SECURITY_POLICY, contentSecurityPolicy, FIXED_SECURITY_HEADERS, newNonce, securityHeaders, servedOverHttps, STRICT_TRANSPORT_SECURITY } from "./security-headers";

/** The policy as directive name → its sources. */
function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(";").map((part) => {
      const [name = "", ...sources] = part.trim().split(/\s+/);
      return [name, sources];
    }),
  );
}

const production = { nonce: "bm9uY2UtZm9yLXRlc3Rz", https: false, development: false };

describe("content security policy", () => {
  it("lets only scripts carrying this request's nonce run, and what they load", () => {
    const scripts = directives(contentSecurityPolicy(production)).get("script-src");
    assert.deepEqual(scripts, ["'self'", "'nonce-bm9uY2UtZm9yLXRlc3Rz'", "'strict-dynamic'"]);
  });

  it("allows eval only to the development server", () => {
    assert.ok(!contentSecurityPolicy(production).includes("'unsafe-eval'"));
    assert.ok(directives(contentSecurityPolicy({ ...production, development: true })).get("script-src")?.includes("'unsafe-eval'"));
  });

  it("locks down everything else a page could be made to load, frame or post to", () => {
    const policy = directives(contentSecurityPolicy(production));
    assert.deepEqual(policy.get("default-src"), ["'self'"]);
    assert.deepEqual(policy.get("object-src"), ["'none'"]);
    assert.deepEqual(policy.get("base-uri"), ["'self'"]);
    assert.deepEqual(policy.get("form-action"), ["'self'"]);
    assert.deepEqual(policy.get("frame-ancestors"), ["'none'"]);
  });

  it("lets the stylesheets and sonner's injected <style> apply, with no nonce that would cancel 'unsafe-inline'", () => {
    const styles = directives(contentSecurityPolicy(production)).get("style-src") ?? [];
    assert.deepEqual(styles, ["'self'", "'unsafe-inline'"]);
  });

  it("upgrades insecure requests only when the page itself came over https", () => {
    assert.ok(!directives(contentSecurityPolicy(production)).has("upgrade-insecure-requests"));
    assert.ok(directives(contentSecurityPolicy({ ...production, https: true })).has("upgrade-insecure-requests"));
  });
});

describe("security headers", () => {
  it("carries the policy and the fixed headers on every answer", () => {
    const headers = securityHeaders(production);
    assert.equal(headers["Content-Security-Policy"], contentSecurityPolicy(production));
    assert.equal(headers["X-Content-Type-Options"], "nosniff");
    assert.equal(headers["Referrer-Policy"], "strict-origin-when-cross-origin");
    assert.equal(headers["X-Frame-Options"], "DENY");
    const permissions = headers["Permissions-Policy"] ?? "";
    for (const feature of ["camera", "microphone", "geolocation", "payment", "usb"]) assert.match(permissions, new RegExp(`(^|, )${feature}=\\(\\)`), feature);
  });

  it("tells browsers to stay on https only when they are on https", () => {
    assert.equal(securityHeaders(production)["Strict-Transport-Security"], undefined);
    assert.equal(securityHeaders({ ...production, https: true })["Strict-Transport-Security"], STRICT_TRANSPORT_SECURITY);
  });

  it("gives static assets, through next.config.js, the same fixed headers", async () => {
    const configUrl = pathToFileURL(path.join(import.meta.dirname, "../../next.config.js")).href;
    const nextConfig = ((await import(configUrl)) as { default: NextConfig }).default;
    const rules = (await nextConfig.headers?.()) ?? [];
    const everyPath = rules.find((rule) => rule.source === "/:path*" && !rule.has);
    assert.ok(everyPath, "a headers() rule for every path");
    assert.deepEqual(Object.fromEntries(everyPath.headers.map(({ key, value }) => [key, value])), FIXED_SECURITY_HEADERS);
    const overHttps = rules.find((rule) => rule.source === "/:path*" && rule.has?.some((condition) => condition.key === "x-forwarded-proto"));
    assert.deepEqual(overHttps?.headers, [{ key: "Strict-Transport-Security", value: STRICT_TRANSPORT_SECURITY }]);
  });

  it("gives API answers, which proxy.ts does not see, the strictest policy", async () => {
    const configUrl = pathToFileURL(path.join(import.meta.dirname, "../../next.config.js")).href;
    const nextConfig = ((await import(configUrl)) as { default: NextConfig }).default;
    const api = ((await nextConfig.headers?.()) ?? []).find((rule) => rule.source === "/api/:path*");
    assert.deepEqual(api?.headers, [{ key: "Content-Security-Policy", value: API_CONTENT_SECURITY_POLICY }]);
  });
});

describe("served over https", () => {
  it("when the public origin is https, whatever the hop to Next says", () => {
    assert.equal(servedOverHttps({ publicOrigin: "https://quotes.example.com", forwardedProto: "http" }), true);
  });

  it("when the request came in as https", () => {
    assert.equal(servedOverHttps({ publicOrigin: "http://127.0.0.1:3000", forwardedProto: "https" }), true);
    assert.equal(servedOverHttps({ publicOrigin: "http://127.0.0.1:3000", forwardedProto: "HTTPS, http" }), true);
  });

  it("not on a plain-http local run", () => {
    assert.equal(servedOverHttps({ publicOrigin: "http://127.0.0.1:3000", forwardedProto: "http" }), false);
    assert.equal(servedOverHttps({ publicOrigin: undefined, forwardedProto: null }), false);
    assert.equal(servedOverHttps({ publicOrigin: "quotes.example.com", forwardedProto: "http" }), false);
  });
});

describe("nonce", () => {
  it("is fresh each time, 128 bits, in the alphabet Next.js reads back from the policy", () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    assert.equal(nonces.size, 100);
    for (const nonce of nonces) {
      assert.match(nonce, /^[A-Za-z0-9+/]+={0,2}$/);
      assert.equal(Buffer.from(nonce, "base64").length, 16);
    }
  });
});
