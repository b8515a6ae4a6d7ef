/**
 * How this project runs server code outside Next.js (the worker, scripts, tests): TypeScript through tsx, with the
 * `react-server` condition, under which the `server-only` marker that guards every server module resolves to its
 * empty module, as it does inside Next's server bundles. Next itself (scripts/next-server.ts) runs without it.
 */
export const SERVER_CONDITION = "--conditions=react-server";

/** `node` arguments that run `script` as server code. */
export const serverNodeArgs = (script: string, ...args: string[]) => [SERVER_CONDITION, "--import", "tsx", script, ...args];
