import "server-only";
import { config, type Env } from "../../config";
import { connectExternalRegistry } from "./external-registry";
import { builtInRegistry, type SchemaRegistry } from "./schema-registry";

let external: Promise<SchemaRegistry> | undefined;

/**
 * The schema registry of this process: with SCHEMA_REGISTRY_URL, the external registry's (the committed schemas
 * registered there once per process; a failed attempt is not kept, the next call tries again); without it, the
 * committed ids.
 */
export function configuredSchemaRegistry(env: Env = config()): Promise<SchemaRegistry> {
  const url = env.SCHEMA_REGISTRY_URL;
  if (!url) return Promise.resolve(builtInRegistry());
  external ??= connectExternalRegistry({ url, username: env.SCHEMA_REGISTRY_USERNAME, password: env.SCHEMA_REGISTRY_PASSWORD }).catch((error: unknown) => {
    external = undefined;
    throw error;
  });
  return external;
}
