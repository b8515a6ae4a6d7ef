/**
 * The address of the client that sent a request, as decided by the app's own HTTP server (scripts/next-server.ts)
 * from the socket and the proxies the operator trusts (it overwrites whatever a client sends in this header). Code
 * behind that server reads it here, never X-Forwarded-For, which any client can write.
 */
export const CLIENT_ADDRESS_HEADER = "x-client-address";

export function clientAddressOf(headers: Pick<Headers, "get">): string {
  return headers.get(CLIENT_ADDRESS_HEADER)?.trim() || "unknown";
}
