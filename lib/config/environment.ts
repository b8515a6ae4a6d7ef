import { envSchema, type Env } from "./env-schema";
import { displayValue } from "./redact";

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/**
 * Parses an environment; throws a ConfigError whose lines each name a variable, its value (a secret's hidden, a URL's
 * password masked) and what is wrong with it.
 */
export function parseConfig(env: Record<string, string | undefined>): Env {
  // An empty variable means "not set", as in most shells' `VAR= cmd`.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ""));
  const result = envSchema.safeParse(present);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const name = issue.path.join(".");
        return `${name}=${displayValue(name, env[name])}: ${issue.message}`;
      }),
    );
  }
  return result.data;
}

let cached: Env | undefined;

/** The validated configuration of this process, parsed once. */
export function config(): Env {
  cached ??= parseConfig(process.env);
  return cached;
}

export const isKafkaMode = (env: Env = config()) => env.KAFKA_BROKERS !== undefined;

/**
 * For process entry points: validate now, and on a bad value print the problems and exit 1
 * (a clear message, not a stack trace).
 */
export function loadConfigOrExit(): Env {
  try {
    return config();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

export type { Env };
