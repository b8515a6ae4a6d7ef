// npm run privacy:rotate-keys — re-wraps every quote's data key under DATA_KEY_ENCRYPTION_KEY. Run it after making
// the new key DATA_KEY_ENCRYPTION_KEY and the old one DATA_KEY_ENCRYPTION_KEY_PREVIOUS (in every process); once it
// reports nothing left, the previous key can be removed.
import { loadConfigOrExit } from "../../lib/config";
import { createPrismaClient } from "../../lib/db/prisma";
import { resolveKeyEncryptionKeys } from "../../lib/privacy/configured-keyring";
import { rewrapDataKeys } from "../../lib/privacy/rotate-keys";
import { loadDotEnv } from "../lib/dotenv";

loadDotEnv();
loadConfigOrExit();
const db = createPrismaClient();
try {
  const { current, previous } = resolveKeyEncryptionKeys();
  const result = await rewrapDataKeys(db, previous, current);
  console.log(`Re-wrapped ${result.rewrapped} data key(s) under ${current.id}.`);
  if (result.unknownKekIds.length) {
    console.error(`Some data keys are wrapped by keys this process does not have (${result.unknownKekIds.join(", ")}): add them to DATA_KEY_ENCRYPTION_KEY_PREVIOUS and run again.`);
    process.exitCode = 1;
  }
} finally {
  await db.$disconnect();
}
