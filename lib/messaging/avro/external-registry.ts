/**
 * An external, Confluent-compatible schema registry (SCHEMA_REGISTRY_URL) in place of the committed ids, through
 * the client library @kafkajs/confluent-schema-registry (HTTP, basic auth, retries, a cache of schemas by id).
 *
 * At start-up every committed schema version is registered under its subject (RecordNameStrategy, `subjectFor`),
 * oldest first, with BACKWARD_TRANSITIVE compatibility. The registry answers with its ids: registering a schema it
 * already holds gives the id it already gave, so every process and every restart of one release gets the same ids,
 * and it refuses a version that cannot read an earlier one. Encoding then stays synchronous, with the registry's ids.
 *
 * A consumer that meets an id it does not know (a newer release registered a newer version and published with it)
 * asks the registry for it (`resolveUnknown`) before decoding the batch: the newer schema becomes a writer it can
 * read from, never the version it writes with or reads into. An id the registry does not have stays unknown, so the
 * message is undecodable (parked); a registry that cannot be reached is a failure of the environment (retried).
 */
import "server-only";
import { COMPATIBILITY, SchemaRegistry as RegistryClient, SchemaType } from "@kafkajs/confluent-schema-registry";
import type { Type } from "avsc";
import { isQuoteEventType } from "../../domain/quote/events";
import { SchemaRegistryError } from "./errors";
import { AVRO_PARSE_OPTIONS, SCHEMA_NAMESPACE, SchemaRegistry, builtInRegistry, schemaText, subjectFor, type RegisteredSchema } from "./schema-registry";

type ClientArgs = ConstructorParameters<typeof RegistryClient>[0];
type Middleware = NonNullable<ClientArgs["middlewares"]>[number];

export interface ExternalRegistrySettings {
  /** The registry's base URL, without credentials. */
  url: string;
  /** HTTP basic auth, when the registry asks for it. */
  username?: string;
  password?: string;
  /** How long one request may take (the client retries a 5xx answer a few times on its own). */
  timeoutMs?: number;
}

/** Each version of a subject must read every earlier one: the rule the committed schemas are held to (compatibility.test.ts). */
export const SUBJECT_COMPATIBILITY = COMPATIBILITY.BACKWARD_TRANSITIVE;

const DEFAULT_TIMEOUT_MS = 10_000;
/** Sent as the client id; the client also starts each error message with it. */
const CLIENT_ID = "quoting-platform";

/** Without it a registry that accepts the connection but never answers would hold up start-up, or a batch, for good. */
const requestTimeout =
  (timeoutMs: number): Middleware =>
  () => ({
    async prepareRequest(next) {
      const request = await next();
      return request.timeout() ? request : request.enhance({ timeout: timeoutMs });
    },
  });

const statusOf = (error: unknown): number | undefined => {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : undefined;
};

/** One line saying what failed and why. The client never puts the credentials in a message, nor does this. */
export function registryFailure(url: string, doing: string, error: unknown): SchemaRegistryError {
  const status = statusOf(error);
  const reason = (error instanceof Error ? error.message : String(error)).replace(`${CLIENT_ID} - `, "");
  // The HTTP layer reports a connection that failed (refused, reset, timed out) as a status 400 with no body of the registry's.
  const unreachable = /^Error, status 400: (.*)$/s.exec(reason);
  if (unreachable) return new SchemaRegistryError(`Cannot reach the schema registry at ${url} while ${doing}: ${unreachable[1]}`, { cause: error });
  if (status === 401 || status === 403) {
    return new SchemaRegistryError(`The schema registry at ${url} refused the credentials (HTTP ${status}) while ${doing}: check SCHEMA_REGISTRY_USERNAME and SCHEMA_REGISTRY_PASSWORD`, { cause: error });
  }
  if (status === 409) {
    return new SchemaRegistryError(`The schema registry at ${url} refused ${doing}, as incompatible with an earlier version of the subject (HTTP 409): ${reason}`, { cause: error });
  }
  if ((error as Error | null)?.name === "ConfluentSchemaRegistryCompatibilityError") {
    return new SchemaRegistryError(
      `The schema registry at ${url} refused ${doing}: ${reason}. The subject's compatibility level there must be ${SUBJECT_COMPATIBILITY}, the level this app registers with (PUT /config/<subject> {"compatibility": "${SUBJECT_COMPATIBILITY}"})`,
      { cause: error },
    );
  }
  return new SchemaRegistryError(`The schema registry at ${url} failed while ${doing}${status === undefined ? "" : ` (HTTP ${status})`}: ${reason}`, { cause: error });
}

/** The committed schemas with the external registry's ids, and the newer writer schemas found there by id. */
export class ExternalSchemaRegistry extends SchemaRegistry {
  /** Ids the registry said it does not have: asked once. */
  private readonly missing = new Set<number>();

  constructor(
    entries: Iterable<RegisteredSchema>,
    private readonly client: RegistryClient,
    readonly url: string,
  ) {
    super(entries);
  }

  override async resolveUnknown(ids: Iterable<number>): Promise<void> {
    for (const id of new Set(ids)) {
      if (this.find(id) || this.missing.has(id)) continue;
      const writer = await this.fetchWriter(id);
      if (writer) this.addWriter(writer);
      else this.missing.add(id);
    }
  }

  /** The registry's schema with this id, when it is a version of a quote event; null when there is none such. */
  private async fetchWriter(id: number): Promise<RegisteredSchema | null> {
    let schema: Type;
    try {
      schema = (await this.client.getSchema(id)) as unknown as Type;
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw registryFailure(this.url, `looking up schema id ${id}`, error);
    }
    const type = schema.name?.startsWith(`${SCHEMA_NAMESPACE}.`) ? schema.name.slice(SCHEMA_NAMESPACE.length + 1) : undefined;
    if (!type || !isQuoteEventType(type)) return null;
    const version = await this.newerVersionWithId(type, id);
    return version === null ? null : { id, type, version, schema };
  }

  /**
   * Which version of the type's subject has this id. Not one of this app's (start-up checked their ids), so a newer
   * one: looked for upwards from this app's latest until the subject has no more versions.
   */
  private async newerVersionWithId(type: string, id: number): Promise<number | null> {
    const subject = subjectFor(type);
    for (let version = this.latest(type).version + 1; ; version++) {
      const found = await registryIdAt(this.client, this.url, subject, version);
      if (found === null) return null;
      if (found === id) return version;
    }
  }
}

/** The id of one version of a subject; null when the subject has no such version. */
async function registryIdAt(client: RegistryClient, url: string, subject: string, version: number): Promise<number | null> {
  try {
    return await client.getRegistryId(subject, version);
  } catch (error) {
    if (statusOf(error) === 404) return null;
    throw registryFailure(url, `reading version ${version} of subject ${subject}`, error);
  }
}

/** Registers one type's versions, oldest first (the registry numbers a subject's versions in the order they come). */
async function registerVersions(client: RegistryClient, url: string, versions: readonly RegisteredSchema[]): Promise<RegisteredSchema[]> {
  const registered: RegisteredSchema[] = [];
  for (const own of versions) {
    const subject = subjectFor(own.type);
    let id: number;
    try {
      ({ id } = await client.register({ type: SchemaType.AVRO, schema: schemaText(own.schema) }, { subject, compatibility: SUBJECT_COMPATIBILITY }));
    } catch (error) {
      throw registryFailure(url, `registering ${own.type} v${own.version} under subject ${subject}`, error);
    }
    // The version number is this app's file name (<Type>.v<N>.avsc): it must be the registry's number too, since
    // the versions of a newer release are found by it.
    const atVersion = await registryIdAt(client, url, subject, own.version);
    if (atVersion !== id) {
      throw new SchemaRegistryError(
        `Subject ${subject} in the schema registry at ${url} does not have ${own.type} v${own.version} (schema id ${id}) as its version ${own.version} ` +
          `(${atVersion === null ? "there is no such version" : `that version is schema id ${atVersion}`}): its history there differs from the committed schemas`,
      );
    }
    registered.push({ ...own, id });
  }
  return registered;
}

/**
 * Registers `schemas` (the committed ones by default) in the registry at `settings.url` and returns them with the
 * registry's ids. Throws SchemaRegistryError naming the subject when the registry refuses one, and when it refuses
 * the credentials or cannot be reached.
 */
export async function connectExternalRegistry(settings: ExternalRegistrySettings, schemas: SchemaRegistry = builtInRegistry()): Promise<ExternalSchemaRegistry> {
  const url = settings.url.replace(/\/+$/, "");
  const client = new RegistryClient(
    {
      host: url,
      clientId: CLIENT_ID,
      ...(settings.username !== undefined ? { auth: { username: settings.username, password: settings.password ?? "" } } : {}),
      middlewares: [requestTimeout(settings.timeoutMs ?? DEFAULT_TIMEOUT_MS)],
    },
    { [SchemaType.AVRO]: AVRO_PARSE_OPTIONS },
  );
  const byType = await Promise.all(schemas.types().map((type) => registerVersions(client, url, schemas.versions(type))));
  return new ExternalSchemaRegistry(byType.flat(), client, url);
}
