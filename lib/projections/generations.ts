import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { Prisma, PrismaClient } from "../generated/prisma/client";
import { config } from "../config";

/** The read-model tables a generation holds (the template is the migrated set in `public`). */
export const READ_MODEL_TABLES = ["quote_summaries", "quote_details", "quote_timeline", "funnel_counts", "projection_checkpoints", "projection_dead_letters"] as const;
export const DEFAULT_GENERATION = "public";

const globalForGenerations = globalThis as unknown as { readModelClients?: Map<string, PrismaClient> };

/** A Prisma client whose model queries go to the tables of one generation's Postgres schema. */
export function readModelClient(schema: string, databaseUrl = config().DATABASE_URL): PrismaClient {
  const clients = (globalForGenerations.readModelClients ??= new Map());
  const key = `${databaseUrl}#${schema}`;
  let client = clients.get(key);
  if (!client) {
    client = new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl }, { schema }) });
    clients.set(key, client);
  }
  return client;
}

export async function disconnectReadModelClients() {
  const clients = globalForGenerations.readModelClients;
  if (!clients) return;
  globalForGenerations.readModelClients = undefined;
  await Promise.all([...clients.values()].map((client) => client.$disconnect()));
}

type Queryable = Pick<PrismaClient, "$queryRaw"> | Prisma.TransactionClient;

/** The generation that serves queries and receives live projection. Always read from `public`, whatever the client. */
export async function activeGeneration(db: Queryable): Promise<string> {
  const rows = await db.$queryRaw<{ schema_name: string }[]>`SELECT schema_name FROM public.read_model_generations WHERE active LIMIT 1`;
  return rows[0]?.schema_name ?? DEFAULT_GENERATION;
}

/** A qualified table name of a generation, for raw SQL (model queries get the schema from the client). */
export const table = (schema: string, name: (typeof READ_MODEL_TABLES)[number]) => Prisma.raw(`"${schema.replaceAll('"', "")}"."${name}"`);

/** Creates an empty generation: a new schema with the read-model tables, not yet active. */
export async function createGeneration(db: PrismaClient, schema: string): Promise<void> {
  if (!/^[a-z][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`Bad generation name ${schema}`);
  await db.$transaction(async (tx) => {
    await tx.$executeRawUnsafe(`CREATE SCHEMA "${schema}"`);
    for (const name of READ_MODEL_TABLES) await tx.$executeRawUnsafe(`CREATE TABLE "${schema}"."${name}" (LIKE public."${name}" INCLUDING ALL)`);
    await tx.$executeRaw`INSERT INTO public.read_model_generations (schema_name, active) VALUES (${schema}, false)`;
  });
}

/** Makes `schema` the active generation (inside the caller's transaction). */
export async function activateGeneration(tx: Prisma.TransactionClient, schema: string): Promise<void> {
  await tx.$executeRaw`INSERT INTO public.read_model_generations (schema_name, active) VALUES ('public', false) ON CONFLICT DO NOTHING`;
  await tx.$executeRaw`UPDATE public.read_model_generations SET active = (schema_name = ${schema}), activated_at = CASE WHEN schema_name = ${schema} THEN now() ELSE activated_at END`;
  // Every cached read came from the old generation.
  await tx.$executeRaw`SELECT pg_notify('read_model_changed', '*')`;
}

/** Live projection takes this lock (shared) around each batch; switching generations takes it exclusively. */
export const GENERATION_SWITCH_LOCK = 7_316_002;
