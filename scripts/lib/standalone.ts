import fs from "node:fs";
import path from "node:path";

export interface StandaloneOutput {
  /** The folder Next serves: `<distDir>/standalone`, with its own traced node_modules. */
  dir: string;
  /** The Next.js configuration the build was made with (required-server-files.json). */
  config: Record<string, unknown>;
  buildId: string;
}

/**
 * The standalone output of the production build in `distDir` (next.config.js: `output: "standalone"`), made ready to
 * serve: Next leaves the static assets and public/ out of it, and its docs ask for them to be copied beside it, which
 * this does once per build (a Docker image has them copied when it is built). Null when the build has no standalone
 * output (built before next.config.js asked for one); throws when there is no build at all.
 */
export function standaloneOutput(root: string, distDir: string): StandaloneOutput | null {
  const build = path.resolve(root, distDir);
  if (!fs.existsSync(path.join(build, "BUILD_ID"))) throw new Error(`No production build in ${distDir}: run \`npm run build\` first.`);
  const dir = path.join(build, "standalone");
  const builtDist = path.join(dir, path.relative(root, build));
  const requiredFiles = path.join(builtDist, "required-server-files.json");
  if (!fs.existsSync(path.join(dir, "server.js")) || !fs.existsSync(requiredFiles)) return null;
  const buildId = fs.readFileSync(path.join(build, "BUILD_ID"), "utf8").trim();
  const staticTarget = path.join(builtDist, "static");
  if (!fs.existsSync(path.join(staticTarget, buildId))) {
    fs.cpSync(path.join(build, "static"), staticTarget, { recursive: true });
    if (fs.existsSync(path.join(root, "public"))) fs.cpSync(path.join(root, "public"), path.join(dir, "public"), { recursive: true });
  }
  const { config } = JSON.parse(fs.readFileSync(requiredFiles, "utf8")) as { config: Record<string, unknown> };
  return { dir, config, buildId };
}
