import "server-only";

// The configuration of server processes. Next's own HTTP server (scripts/next-server.ts), which runs outside the
// server bundles, reads ./environment directly.
export * from "./environment";
