/** Where the embedded PostgreSQL listens when DATABASE_URL is not set (started by the dev and test runners). */
export const EMBEDDED_POSTGRES_PORT = 54329;
export const DEFAULT_DATABASE_URL = `postgresql://postgres:postgres@127.0.0.1:${EMBEDDED_POSTGRES_PORT}/quotes`;
