import fs from "node:fs";
import path from "node:path";

const skipDirs = new Set(["node_modules", ".next", ".data", ".git", ".scratch", "generated", "e2e"]);

/** Test files under the given folders whose names end with one of the suffixes. */
export function findTests(root: string, folders: string[], accept: (file: string) => boolean): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (!skipDirs.has(entry.name)) walk(path.join(dir, entry.name));
      } else if (accept(entry.name)) found.push(path.relative(root, path.join(dir, entry.name)));
    }
  };
  for (const folder of folders) walk(path.join(root, folder));
  return found.sort();
}

export const isIntegrationTest = (name: string) => name.endsWith(".integration.test.ts");
export const isUnitTest = (name: string) => name.endsWith(".test.ts") && !isIntegrationTest(name);
/** Integration tests that run the production build (`*.build.integration.test.ts`): the runner builds it first. */
export const needsProductionBuild = (file: string) => file.endsWith(".build.integration.test.ts");
/**
 * Integration tests that try the app's processes from outside (the scripts, and a test's own app server): they share
 * only the database and broker with the rest, each on data of its own, so the runner runs them beside the others.
 */
export const runsProcessesOfItsOwn = (file: string) => needsProductionBuild(file) || file.startsWith("scripts/") || fs.readFileSync(file, "utf8").includes("startAppServer(");
