import fs from "node:fs";
import { defineConfig, devices } from "@playwright/test";

// The test runner (scripts/test/run-all.ts) starts the whole stack on a production build and passes its URL.
// Debian's Chromium: Playwright's own browser download cannot be reached from these machines. Its headless shell
// (the same engine without the desktop browser around it, what Playwright runs headless by default) when installed.
const chromium = ["/usr/bin/chromium-headless-shell", "/usr/bin/chromium"].find((file) => fs.existsSync(file)) ?? "/usr/bin/chromium";
const baseURL = process.env.E2E_BASE_URL ?? "http://127.0.0.1:3100";

export default defineConfig({
  testDir: "e2e",
  outputDir: process.env.TEST_PORT_OFFSET ? `test-results/output-${process.env.TEST_PORT_OFFSET}` : "test-results/output",
  // Two files at a time: a spec mostly waits on the app (a save's projection, the worker's number), and every spec
  // works on quotes, agents and clients of its own, so two share the stack without seeing each other's data.
  fullyParallel: false,
  workers: Number(process.env.E2E_WORKERS ?? 2),
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["json"]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? chromium,
          args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        },
      },
    },
  ],
});
