import { prisma } from "../../db/prisma";

/**
 * Runs `check` while the newest applied migration is recorded as rolled back, as if the web tier had been deployed
 * before its migration was applied; records it as applied again afterwards.
 */
export async function withLatestMigrationPending<T>(check: () => Promise<T>): Promise<{ migration: string; result: T }> {
  const [latest] = await prisma().$queryRaw<{ migration_name: string }[]>`
    SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name DESC LIMIT 1`;
  const migration = latest!.migration_name;
  await prisma().$executeRaw`UPDATE _prisma_migrations SET rolled_back_at = now() WHERE migration_name = ${migration}`;
  try {
    return { migration, result: await check() };
  } finally {
    await prisma().$executeRaw`UPDATE _prisma_migrations SET rolled_back_at = NULL WHERE migration_name = ${migration}`;
  }
}
