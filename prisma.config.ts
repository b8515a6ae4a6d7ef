import { defineConfig } from "prisma/config";
import { DEFAULT_DATABASE_URL } from "./lib/config/defaults";

// Prisma 7 reads the datasource URL here, not from schema.prisma, and does not load .env by itself.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL },
});
