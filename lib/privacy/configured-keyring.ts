import "server-only";
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { config, type Env } from "../config";
import { prisma } from "../db/prisma";
import type { PrismaClient } from "../generated/prisma/client";
import { createDataKeyring, type DataKeyring } from "./data-keyring";
import { KEK_BYTES, localKeyEncryptionKey, parseKeyEncryptionKey, type KeyEncryptionKey } from "./key-encryption-key";

export const GENERATED_KEK_FILE = "data-key-encryption-key";

/**
 * DATA_KEY_ENCRYPTION_KEY when set. Otherwise (a developer's machine: the production entry points refuse to start
 * without it) a key generated once in `.data/data-key-encryption-key`, so every local process agrees and data keys
 * written yesterday still unwrap.
 */
export function resolveKeyEncryptionKeys(env: Env = config(), dataDir = path.join(process.cwd(), ".data")): { current: KeyEncryptionKey; previous: KeyEncryptionKey[] } {
  const current = env.DATA_KEY_ENCRYPTION_KEY ? parseKeyEncryptionKey(env.DATA_KEY_ENCRYPTION_KEY)! : generatedKey(dataDir);
  const previous = (env.DATA_KEY_ENCRYPTION_KEY_PREVIOUS ?? []).map((text) => localKeyEncryptionKey(parseKeyEncryptionKey(text)!));
  return { current: localKeyEncryptionKey(current), previous };
}

function generatedKey(dataDir: string): Buffer {
  const file = path.join(dataDir, GENERATED_KEK_FILE);
  const read = () => (fs.existsSync(file) ? parseKeyEncryptionKey(fs.readFileSync(file, "utf8")) : null);
  const existing = read();
  if (existing) return existing;
  fs.mkdirSync(dataDir, { recursive: true });
  // As the generated auth secret: written whole, then linked into place, so two processes starting together agree.
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
  fs.writeFileSync(temporary, `${randomBytes(KEK_BYTES).toString("base64")}\n`, { mode: 0o600 });
  try {
    fs.linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    fs.rmSync(temporary, { force: true });
  }
  return read()!;
}

const globalForKeyring = globalThis as unknown as { dataKeyring?: DataKeyring };

/** The process's keyring, on the process's database. */
export function dataKeyring(db: PrismaClient = prisma()): DataKeyring {
  if (!globalForKeyring.dataKeyring) {
    const { current, previous } = resolveKeyEncryptionKeys();
    globalForKeyring.dataKeyring = createDataKeyring(db, current, { previous });
  }
  return globalForKeyring.dataKeyring;
}
