// The stand-in for an external, Confluent-compatible schema registry: its own HTTP process on 127.0.0.1, serving the
// part of Confluent's REST API that @kafkajs/confluent-schema-registry calls (subjects, versions, ids, lookups,
// compatibility, config; see scripts/schema-registry/routes.ts). It refuses a schema its subject's compatibility
// level does not allow (HTTP 409), checked with the project's own Avro compatibility check.
//   Port SCHEMA_REGISTRY_SERVICE_PORT (8081). With SCHEMA_REGISTRY_USERNAME and SCHEMA_REGISTRY_PASSWORD set, every
//   route but GET /health asks for them (HTTP basic auth, 401 otherwise).
//   Subjects and ids are kept in .data/schema-registry.json (or SCHEMA_REGISTRY_STORE) across restarts;
//   SCHEMA_REGISTRY_FIRST_ID sets the first id (separate stand-ins then give ids of their own).
import http from "node:http";
import { loadConfigOrExit } from "../lib/config";
import { hasCredentials } from "./schema-registry/basic-auth";
import { handleRegistryRequest, type RegistryResponse } from "./schema-registry/routes";
import { SubjectStore } from "./schema-registry/subject-store";
import { loadDotEnv } from "./lib/dotenv";
import { dataDir } from "./lib/paths";

loadDotEnv();
const env = loadConfigOrExit();
const storePath = process.env.SCHEMA_REGISTRY_STORE ?? dataDir("schema-registry.json");
const credentials = env.SCHEMA_REGISTRY_USERNAME && env.SCHEMA_REGISTRY_PASSWORD ? { username: env.SCHEMA_REGISTRY_USERNAME, password: env.SCHEMA_REGISTRY_PASSWORD } : null;
const MAX_BODY_BYTES = 1024 * 1024;

let store: SubjectStore;
try {
  store = new SubjectStore(storePath, env.SCHEMA_REGISTRY_FIRST_ID);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

function send(res: http.ServerResponse, { status, body, headers }: RegistryResponse) {
  res.writeHead(status, { "content-type": "application/vnd.schemaregistry.v1+json", ...headers });
  res.end(JSON.stringify(body));
}

async function readBody(req: http.IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

const server = http.createServer(async (req, res) => {
  try {
    const method = req.method ?? "GET";
    const url = req.url ?? "/";
    if (method === "GET" && url === "/health") return send(res, { status: 200, body: { status: "ok", ...store.stats() } });
    if (credentials && !hasCredentials(req.headers.authorization, credentials.username, credentials.password)) {
      return send(res, { status: 401, body: { error_code: 401, message: "Unauthorized: wrong or missing credentials (HTTP basic auth)" }, headers: { "www-authenticate": 'Basic realm="schema-registry"' } });
    }
    const body = await readBody(req);
    if (body === null) return send(res, { status: 413, body: { error_code: 413, message: `The request body is over ${MAX_BODY_BYTES} bytes` } });
    return send(res, handleRegistryRequest({ method, url, body }, store));
  } catch (error) {
    if (!res.headersSent) send(res, { status: 500, body: { error_code: 50001, message: (error as Error).message } });
    else res.destroy();
  }
});

server.listen(env.SCHEMA_REGISTRY_SERVICE_PORT, "127.0.0.1", () => {
  const auth = credentials ? `basic auth as ${credentials.username}` : "no auth";
  console.log(`schema registry stand-in on http://127.0.0.1:${env.SCHEMA_REGISTRY_SERVICE_PORT} (${auth}; store ${storePath})`);
});
const stop = () => server.close(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
