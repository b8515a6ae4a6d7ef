/** Where the embedded PostgreSQL listens when DATABASE_URL is not set (started by the dev and test runners). */
export const EMBEDDED_POSTGRES_PORT = 54329;
export const DEFAULT_DATABASE_URL = `postgresql://postgres:postgres@127.0.0.1:${EMBEDDED_POSTGRES_PORT}/quotes`;
/** How long a worker's claim on a row of work hides it from the other workers (WORKER_CLAIM_LEASE_SECONDS). */
export const DEFAULT_WORKER_CLAIM_LEASE_SECONDS = 60;
