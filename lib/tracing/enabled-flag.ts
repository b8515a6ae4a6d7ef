// Whether this process started a tracer provider. On globalThis, not in a module's own state: Next loads
// instrumentation.ts (which starts the SDK) in another bundle than the routes, each with its own module copies.
// No "server-only": instrumentation.ts loads it, through lib/tracing/sdk.ts, outside the React server bundles.
const FLAG = Symbol.for("quoting-platform.tracing-enabled");
const slot = globalThis as unknown as Record<symbol, boolean | undefined>;

export const tracingEnabled = () => slot[FLAG] === true;

export function setTracingEnabled(on: boolean) {
  slot[FLAG] = on;
}
