import { AgentExistsError, createAgent, generatePassword, setPassword } from "../../lib/auth/agents";
import { AGENT_ROLE } from "../../lib/auth/auth";
import { createPrismaClient } from "../../lib/db/prisma";

export const DEMO_AGENT = { email: "agent@example.com", name: "Demo Agent" } as const;

/**
 * For `npm run dev`: makes sure the demo agent exists and gives it a fresh password, which the caller prints.
 * Production (`NODE_ENV=production`) creates no agent and returns null. A new password on each start means the
 * printed one is always the one that works (sessions already open stay open).
 */
export async function ensureDemoAgent(databaseUrl: string): Promise<{ email: string; password: string } | null> {
  if (process.env.NODE_ENV === "production") return null;
  const db = createPrismaClient(databaseUrl);
  try {
    const password = generatePassword();
    try {
      await createAgent(db, { ...DEMO_AGENT, password, role: AGENT_ROLE });
    } catch (error) {
      if (!(error instanceof AgentExistsError)) throw error;
      const existing = await db.user.findUnique({ where: { email: DEMO_AGENT.email } });
      if (existing?.role !== AGENT_ROLE) throw new Error(`${DEMO_AGENT.email} exists but is not an agent (role ${existing?.role}); leaving it alone.`);
      await setPassword(db, DEMO_AGENT.email, password, { endSessions: false });
    }
    return { email: DEMO_AGENT.email, password };
  } finally {
    await db.$disconnect();
  }
}
