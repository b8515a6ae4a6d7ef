/**
 * Adding agents and setting their passwords, straight into Better Auth's tables (auth_users + a "credential"
 * account holding the scrypt hash Better Auth verifies at sign-in). Used by `npm run agents:create` and the dev
 * runner's demo agent; there is no sign-up over HTTP.
 */
import "server-only";
import { randomBytes, randomUUID } from "node:crypto";
import { hashPassword } from "better-auth/crypto";
import type { PrismaClient } from "../generated/prisma/client";
import { fieldErrorsFrom } from "../cqrs/app-error";
import { newAgentSchema, AGENT_PASSWORD_MIN_LENGTH, AGENT_PASSWORD_MAX_LENGTH } from "../../schemas/admin";

export class AgentInputError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("; "));
    this.name = "AgentInputError";
  }
}

export class AgentExistsError extends Error {
  constructor(readonly email: string) {
    super(`A user with email ${email} already exists.`);
    this.name = "AgentExistsError";
  }
}

export interface CreatedAgent {
  id: string;
  email: string;
  name: string;
  role: string;
}

/** A password for people to copy: 24 characters from a URL-safe alphabet (144 bits). */
export function generatePassword(): string {
  return randomBytes(18).toString("base64url");
}

/** Adds a user with the role the caller grants: always named, since a user without one is allowed nothing. */
export async function createAgent(db: PrismaClient, input: { email: string; name: string; password: string; role: string }): Promise<CreatedAgent> {
  const parsed = newAgentSchema.safeParse(input);
  if (!parsed.success) throw new AgentInputError(fieldErrorsFrom(parsed.error.issues).map((e) => `${e.path}: ${e.message}`));
  const { email, name, password, role } = parsed.data;
  if (await db.user.findUnique({ where: { email } })) throw new AgentExistsError(email);
  const hash = await hashPassword(password);
  const id = randomUUID();
  try {
    await db.$transaction([
      db.user.create({ data: { id, email, name, role, emailVerified: true } }),
      db.account.create({ data: { id: randomUUID(), userId: id, accountId: id, providerId: "credential", password: hash } }),
    ]);
  } catch (error) {
    if ((error as { code?: string }).code === "P2002") throw new AgentExistsError(email);
    throw error;
  }
  return { id, email, name, role };
}

/** Replaces an existing user's password; by default also ends their sessions, so sessions from the old one stop. */
export async function setPassword(db: PrismaClient, email: string, password: string, options: { endSessions?: boolean } = {}): Promise<void> {
  if (password.length < AGENT_PASSWORD_MIN_LENGTH || password.length > AGENT_PASSWORD_MAX_LENGTH) {
    throw new AgentInputError([`password: Password must be ${AGENT_PASSWORD_MIN_LENGTH}–${AGENT_PASSWORD_MAX_LENGTH} characters`]);
  }
  const user = await db.user.findUnique({ where: { email: email.trim().toLowerCase() } });
  if (!user) throw new AgentInputError([`email: No user with email ${email}`]);
  const hash = await hashPassword(password);
  await db.$transaction([
    db.account.deleteMany({ where: { userId: user.id, providerId: "credential" } }),
    db.account.create({ data: { id: randomUUID(), userId: user.id, accountId: user.id, providerId: "credential", password: hash } }),
    ...(options.endSessions === false ? [] : [db.session.deleteMany({ where: { userId: user.id } })]),
  ]);
}

/** Agents' names by id, for showing who did what on a timeline. */
export async function agentNames(db: PrismaClient, ids: readonly string[]): Promise<Map<string, { name: string; email: string }>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const users = await db.user.findMany({ where: { id: { in: unique } }, select: { id: true, name: true, email: true } });
  return new Map(users.map((u) => [u.id, { name: u.name, email: u.email }]));
}
