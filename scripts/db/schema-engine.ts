/**
 * Prisma's schema engine (the part behind `prisma migrate`) as WebAssembly, driven through the pg driver adapter.
 * Prisma's CLI downloads a native engine binary, which these machines cannot reach; the WebAssembly build of the
 * same engine ships on npm. This is an internal Prisma API, so @prisma/schema-engine-wasm is pinned exactly.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import * as bindings from "@prisma/schema-engine-wasm/schema_engine_bg";
import type { SchemaEngine } from "@prisma/schema-engine-wasm";

const require = createRequire(import.meta.url);

let loaded = false;

function loadWasm() {
  if (loaded) return;
  // The package imports its .wasm as an ES module, which Node 20 cannot do without a flag: instantiate it by hand.
  const wasmPath = path.join(path.dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg")), "schema_engine_bg.wasm");
  const wasmModule = new WebAssembly.Module(fs.readFileSync(wasmPath));
  const imports: WebAssembly.Imports = {};
  for (const { module: name } of WebAssembly.Module.imports(wasmModule)) imports[name] = bindings as unknown as WebAssembly.ModuleImports;
  const instance = new WebAssembly.Instance(wasmModule, imports);
  (bindings as unknown as { __wbg_set_wasm(exports: WebAssembly.Exports): void }).__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  // The engine reports Rust panics through this global before throwing.
  const panics = { message: "" };
  (globalThis as Record<string, unknown>).PRISMA_WASM_PANIC_REGISTRY ??= {
    get: () => panics.message,
    set_message: (message: string) => void (panics.message = `RuntimeError: ${message}`),
  };
  loaded = true;
}

export interface EngineHandle {
  engine: SchemaEngine;
  close(): Promise<void>;
}

/** An engine bound to a database (for applying migrations); `databaseUrl` may be omitted for schema-to-schema diffs. */
export async function openSchemaEngine(databaseUrl: string, datamodel?: { path: string; content: string }): Promise<EngineHandle> {
  loadWasm();
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2, allowExitOnIdle: true });
  const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPg(pool));
  const debug = process.env.DEBUG_SCHEMA_ENGINE ? (line: string) => console.error("[schema-engine]", line) : () => {};
  const engine = await bindings.SchemaEngine.new({ datamodels: datamodel ? [[datamodel.path, datamodel.content]] : undefined }, debug, adapter);
  return {
    engine,
    async close() {
      engine.free();
      // The pool would otherwise keep the process alive for ~10 s.
      await pool.end();
    },
  };
}

export const migrationsDir = (root: string) => path.join(root, "prisma", "migrations");

/** The migration directories on disk, in the shape the engine reads them. */
export function readMigrationList(root: string) {
  const baseDir = migrationsDir(root);
  const dirs = fs.existsSync(baseDir)
    ? fs.readdirSync(baseDir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort()
    : [];
  const lockPath = path.join(baseDir, "migration_lock.toml");
  return {
    baseDir,
    lockfile: { path: "migration_lock.toml", content: fs.existsSync(lockPath) ? fs.readFileSync(lockPath, "utf8") : null },
    shadowDbInitScript: "",
    migrationDirectories: dirs.map((dir) => ({
      path: dir,
      migrationFile: { path: "migration.sql", content: { tag: "ok" as const, value: fs.readFileSync(path.join(baseDir, dir, "migration.sql"), "utf8") } },
    })),
  };
}
