import "server-only";

type Loose = { code?: unknown; kind?: unknown; originalCode?: unknown; severity?: unknown; meta?: { driverAdapterError?: { cause?: Loose } }; cause?: unknown };

/** The errors a failure wraps, outermost first: Prisma's error → its driver adapter error's cause → `cause` chain. */
export function errorChain(error: unknown): Loose[] {
  const found: Loose[] = [];
  let current: unknown = error;
  for (let depth = 0; current && typeof current === "object" && depth < 6; depth++) {
    const loose = current as Loose;
    found.push(loose);
    const adapterCause = loose.meta?.driverAdapterError?.cause;
    if (adapterCause) found.push(adapterCause);
    current = loose.cause;
  }
  return found;
}

const SQLSTATE = /^[0-9A-Z]{5}$/;

/** The SQLSTATE a database failure carries, wherever Prisma or pg put it. */
export function sqlStateOf(error: unknown): string | undefined {
  for (const part of errorChain(error)) {
    // The adapter's `originalCode`, or pg's own error (it has a severity); Prisma's `code` (P2010) is not one.
    const code = part.originalCode ?? (part.severity ? part.code : undefined);
    if (typeof code === "string" && SQLSTATE.test(code)) return code;
  }
  return undefined;
}

// 08 connection exception, 53 insufficient resources, 57 operator intervention (shutdown, cancel), 58 system error (I/O).
export const UNAVAILABLE_SQL_CLASSES = new Set(["08", "53", "57", "58"]);
/** Prisma's codes for failures with no SQLSTATE: unreachable server, pool or transaction timeouts. */
export const UNAVAILABLE_PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1011", "P1017", "P2024", "P2028"]);
/** The pg driver adapter's kinds of the same. */
export const UNAVAILABLE_ADAPTER_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections", "TlsConnectionError"]);
export const UNAVAILABLE_SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENOTFOUND", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN"]);

/** Whether a failure says the database (or the network to it) is down, rather than that the request was wrong. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const sqlState = sqlStateOf(error);
  if (sqlState) return UNAVAILABLE_SQL_CLASSES.has(sqlState.slice(0, 2));
  return errorChain(error).some(
    (part) =>
      (typeof part.code === "string" && (UNAVAILABLE_PRISMA_CODES.has(part.code) || UNAVAILABLE_SOCKET_CODES.has(part.code))) ||
      (typeof part.kind === "string" && UNAVAILABLE_ADAPTER_KINDS.has(part.kind)),
  );
}
