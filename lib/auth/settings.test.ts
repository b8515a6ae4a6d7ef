import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { AuthConfigError, authBaseUrl, isLocalPlainHttp, resolveAuthSecret, trustedOrigins, trustedProxies, usesSecureCookies } from "./settings";

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), "auth-secret-"));

describe("auth settings", () => {
  it("takes the base URL from BETTER_AUTH_URL, else from where Next.js listens", () => {
    assert.equal(authBaseUrl({ BETTER_AUTH_URL: "https://quotes.example.com/" }), "https://quotes.example.com");
    assert.equal(authBaseUrl({ APP_HOST: "127.0.0.1", APP_PORT: "3300" }), "http://127.0.0.1:3300");
    assert.equal(authBaseUrl({}), "http://127.0.0.1:3000");
    assert.equal(authBaseUrl({ APP_HOST: "0.0.0.0", APP_PORT: "8080" }), "http://localhost:8080");
    assert.throws(() => authBaseUrl({ BETTER_AUTH_URL: "quotes.example.com" }), /BETTER_AUTH_URL=quotes\.example\.com: must be an http\(s\) URL/);
  });

  it("sets Secure cookies exactly when the base URL is https", () => {
    assert.equal(usesSecureCookies("https://quotes.example.com"), true);
    assert.equal(usesSecureCookies("http://127.0.0.1:3100"), false);
    assert.equal(usesSecureCookies("http://quotes.example.com"), false);
  });

  it("trusts the base origin, and its localhost / 127.0.0.1 twin only on a local run", () => {
    assert.deepEqual(trustedOrigins("https://quotes.example.com"), ["https://quotes.example.com"]);
    assert.deepEqual(trustedOrigins("http://127.0.0.1:3000"), ["http://127.0.0.1:3000", "http://localhost:3000"]);
    assert.equal(isLocalPlainHttp("http://[::1]:3000"), true);
    assert.equal(isLocalPlainHttp("https://localhost:3000"), false);
  });

  it("reads trusted proxies as a comma-separated list", () => {
    assert.deepEqual(trustedProxies({ AUTH_TRUSTED_PROXIES: " 10.0.0.0/8, 192.168.1.1 ,," }), ["10.0.0.0/8", "192.168.1.1"]);
    assert.deepEqual(trustedProxies({}), []);
  });

  describe("the secret", () => {
    it("uses BETTER_AUTH_SECRET when it is set", () => {
      const secret = "x".repeat(40);
      assert.deepEqual(resolveAuthSecret({ env: { BETTER_AUTH_SECRET: secret, NODE_ENV: "production" }, baseUrl: "https://quotes.example.com" }), { secret, source: "env" });
    });

    it("refuses to start a deployment without one, saying what to set", () => {
      assert.throws(
        () => resolveAuthSecret({ env: { NODE_ENV: "production" }, baseUrl: "https://quotes.example.com", dataDir: tempDir() }),
        (error: unknown) => error instanceof AuthConfigError && /BETTER_AUTH_SECRET is not set/.test(error.message) && /openssl rand -base64 32/.test(error.message),
      );
      assert.throws(() => resolveAuthSecret({ env: { NODE_ENV: "production", BETTER_AUTH_SECRET: "short" }, baseUrl: "https://quotes.example.com" }), /at least 32 characters/);
    });

    it("generates one on a developer's machine, once, and keeps it for the next start", () => {
      const dir = tempDir();
      const first = resolveAuthSecret({ env: { NODE_ENV: "development" }, baseUrl: "http://127.0.0.1:3000", dataDir: dir });
      assert.equal(first.source, "generated");
      assert.ok(first.secret.length >= 32);
      assert.equal(resolveAuthSecret({ env: {}, baseUrl: "http://127.0.0.1:3000", dataDir: dir }).secret, first.secret);
      assert.equal((fs.statSync(path.join(dir, "auth-secret")).mode & 0o777).toString(8), "600");
      // A production build served over plain http on loopback (npm start, the e2e suite) is a local run too.
      assert.equal(resolveAuthSecret({ env: { NODE_ENV: "production" }, baseUrl: "http://127.0.0.1:3100", dataDir: dir }).secret, first.secret);
    });
  });
});
