/**
 * Benchmark 6 — first-load JavaScript (gzip) per wizard route, read from the production build's manifests:
 * rootMainFiles (build-manifest.json) plus every entry JS file of the route's client reference manifest
 * (server/app/…/page_client-reference-manifest.js: the root layout, the wizard layout, boundaries, the page).
 * Baseline, same build: the framework floor, i.e. what /_not-found (root layout only) loads.
 */
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import zlib from "node:zlib";

export interface RouteWeight {
  route: string;
  files: number;
  rawBytes: number;
  gzipBytes: number;
}

export interface PageWeightResult {
  distDir: string;
  buildId: string;
  builtAt: string;
  routes: RouteWeight[];
  baseline: RouteWeight;
}

function manifestFiles(file: string): string[] {
  const context: { __RSC_MANIFEST?: Record<string, { entryJSFiles?: Record<string, string[]> }> } = {};
  vm.runInNewContext(fs.readFileSync(file, "utf8"), context);
  return Object.values(context.__RSC_MANIFEST ?? {}).flatMap((m) => Object.values(m.entryJSFiles ?? {}).flat());
}

function routeOf(serverAppDir: string, file: string): string {
  const rel = path.relative(serverAppDir, path.dirname(file)).split(path.sep).filter((s) => !/^\(.*\)$/.test(s));
  return `/${rel.join("/")}`;
}

function findManifests(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return findManifests(full);
    return entry.name === "page_client-reference-manifest.js" ? [full] : [];
  });
}

export function pageWeight(distDir: string, groupDir = "(customer)"): PageWeightResult {
  const build = JSON.parse(fs.readFileSync(path.join(distDir, "build-manifest.json"), "utf8")) as { rootMainFiles?: string[] };
  const serverAppDir = path.join(distDir, "server", "app");
  const gzipCache = new Map<string, { raw: number; gzip: number }>();
  const size = (file: string) => {
    let cached = gzipCache.get(file);
    if (!cached) {
      const bytes = fs.readFileSync(path.join(distDir, file.replace(/^\/?_next\//, "")));
      cached = { raw: bytes.length, gzip: zlib.gzipSync(bytes).length };
      gzipCache.set(file, cached);
    }
    return cached;
  };
  const weigh = (route: string, manifest: string): RouteWeight => {
    const files = [...new Set([...(build.rootMainFiles ?? []), ...manifestFiles(manifest)].filter((f) => f.endsWith(".js")))];
    return { route, files: files.length, rawBytes: files.reduce((s, f) => s + size(f).raw, 0), gzipBytes: files.reduce((s, f) => s + size(f).gzip, 0) };
  };
  const routes = findManifests(path.join(serverAppDir, groupDir))
    .map((file) => weigh(routeOf(serverAppDir, file), file))
    .sort((a, b) => a.route.localeCompare(b.route));
  const baseline = weigh("/_not-found (framework + root layout)", path.join(serverAppDir, "_not-found", "page_client-reference-manifest.js"));
  const buildIdFile = path.join(distDir, "BUILD_ID");
  return { distDir, buildId: fs.readFileSync(buildIdFile, "utf8").trim(), builtAt: fs.statSync(buildIdFile).mtime.toISOString(), routes, baseline };
}
