// The design's boundaries are enforced by `npm run lint` (eslint.config.mjs): each rule refuses a deliberate
// violation, and allows what the design allows.
import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import { ESLint } from "eslint";
import { repoRoot } from "./lib/paths";

const eslint = new ESLint({ cwd: repoRoot });

async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(repoRoot, file) });
  return result!.messages.filter((m) => m.ruleId === "import/no-restricted-paths" || m.ruleId === "@typescript-eslint/no-restricted-imports").map((m) => m.message);
}

describe("lint boundaries", { timeout: 120_000 }, () => {
  it("lib/domain may not import infrastructure, nor a framework; it may import schemas/", async () => {
    assert.match((await boundaryErrors("lib/domain/quote/violation.ts", 'import { prisma } from "../../db/prisma";\nexport const x = prisma;\n'))[0] ?? "", /lib\/domain is pure/);
    assert.match((await boundaryErrors("lib/domain/quote/violation.ts", 'import { Kafka } from "kafkajs";\nexport const x = Kafka;\n'))[0] ?? "", /lib\/domain is pure/);
    assert.deepEqual(await boundaryErrors("lib/domain/quote/allowed.ts", 'import { MAX_DEPENDENTS } from "../../../schemas/quote";\nexport const x = MAX_DEPENDENTS;\n'), []);
  });

  it("components/ may import server code only as types", async () => {
    assert.match((await boundaryErrors("components/violation.tsx", 'import { services } from "@/lib/services";\nexport const x = services;\n'))[0] ?? "", /import server code only as types/);
    assert.deepEqual(await boundaryErrors("components/allowed.tsx", 'import type { Services } from "@/lib/services";\nexport type X = Services;\n'), []);
  });

  it("app/ may not open the database: it goes through the buses", async () => {
    assert.match((await boundaryErrors("app/violation/page.tsx", 'import { prisma } from "@/lib/db/prisma";\nexport const x = prisma;\n'))[0] ?? "", /only through the command and query buses/);
    assert.deepEqual(await boundaryErrors("app/allowed/page.tsx", 'import { services } from "@/lib/services";\nexport const x = services;\n'), []);
  });
});
