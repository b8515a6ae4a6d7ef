import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

// Browser-safe modules of lib/ that components may import as values (no server-only, no database).
const BROWSER_SAFE_LIB = "domain(/.*)?|customer/(wizard-steps|page-form-state|wizard-form-values|wizard-form-data|wizard-form-names|version-cookie)|queries/contracts";

/** The design's boundaries, enforced: see docs/ARCHITECTURE.md, "Where things live". */
const boundaries = [
  {
    files: ["lib/domain/**/*.ts"],
    rules: {
      "import/no-restricted-paths": [
        "error",
        {
          zones: ["./lib", "./app", "./components", "./scripts", "./prisma", "./bench", "./e2e"].map((from) => ({
            target: "./lib/domain",
            from,
            except: from === "./lib" ? ["./domain"] : [],
            message: "lib/domain is pure: it imports only itself and schemas/ (no infrastructure, no framework).",
          })),
        },
      ],
      "@typescript-eslint/no-restricted-imports": [
        "error",
        { patterns: [{ regex: "^(@prisma/|pg$|kafkajs$|avsc$|next(/|$)|react(-dom)?$|server-only$)", message: "lib/domain is pure: no infrastructure, no framework." }] },
      ],
    },
  },
  {
    files: ["components/**/*.ts", "components/**/*.tsx"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: `^(@/|(\\.\\./)+)lib/(?!(${BROWSER_SAFE_LIB})$)`,
              allowTypeImports: true,
              message: "components/ runs in the browser: import server code only as types (import type …).",
            },
            { regex: "^(@prisma/|pg$|kafkajs$|server-only$)", message: "components/ runs in the browser." },
          ],
        },
      ],
    },
  },
  {
    files: ["app/**/*.ts", "app/**/*.tsx"],
    ignores: ["app/**/*.test.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^(@/|(\\.\\./)+)lib/(db|generated|eventstore)(/|$)|^@prisma/|^pg$",
              allowTypeImports: true,
              message: "app/ reaches the database only through the command and query buses (lib/services.ts).",
            },
          ],
        },
      ],
    },
  },
];

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  ...boundaries,
  globalIgnores([".next*/**", ".data/**", ".scratch/**", "lib/generated/**", "node_modules/**", "next-env.d.ts", "test-results/**", "playwright-report/**"]),
]);
