// The app's HTTP server (scripts/lib/app-http-server.ts) as `npm run dev`, `npm start` and the tests run it: Next's
// development server when NODE_ENV is not production, else the production build in NEXT_DIST_DIR (its standalone
// output, or the build itself when it has none). Listens on APP_HOST:APP_PORT (127.0.0.1:3000 by default).
//   tsx scripts/next-server.ts      (npm run dev and npm start run it through scripts/lib/stack.ts)
// A deployment runs `npm run start:web` (scripts/start-web.ts) instead.
import { loadConfigOrExit } from "../lib/config/environment";
import { serveApp } from "./lib/app-http-server";
import { repoRoot } from "./lib/paths";
import { standaloneOutput } from "./lib/standalone";

const env = loadConfigOrExit();
const dev = env.NODE_ENV !== "production";
let output = null;
try {
  output = dev ? null : standaloneOutput(repoRoot, process.env.NEXT_DIST_DIR || ".next");
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
await serveApp(env, output ? { kind: "standalone", output } : { kind: "checkout", dir: repoRoot, dev });
