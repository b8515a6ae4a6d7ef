/**
 * Who sent a request, decided from the TCP peer and the reverse proxies the operator trusts (TRUSTED_PROXIES).
 * X-Forwarded-For is believed only as far as trusted proxies wrote it: walking from the peer towards the client,
 * each hop that is a trusted proxy passes the question on to the address it forwarded for; the first hop that is
 * not trusted is the client. Anything further left was written by that client and is dropped.
 */
import ipaddr from "ipaddr.js";
import proxyAddr from "proxy-addr";
import type { IncomingMessage } from "node:http";

/** Whether an address (of the hop at this distance from the peer) is a proxy the operator trusts. */
export type TrustedProxies = (address: string, hop: number) => boolean;

/** IPs, CIDR ranges, or proxy-addr's names `loopback`, `linklocal` and `uniquelocal`. Throws on a bad entry. */
export function compileTrustedProxies(entries: readonly string[]): TrustedProxies {
  return proxyAddr.compile([...entries]);
}

/** The operator's list: TRUSTED_PROXIES, or its old name AUTH_TRUSTED_PROXIES. */
export function configuredTrustedProxies(env: { TRUSTED_PROXIES?: string[]; AUTH_TRUSTED_PROXIES?: string[] }): string[] {
  return env.TRUSTED_PROXIES ?? env.AUTH_TRUSTED_PROXIES ?? [];
}

/** One spelling per address: `::ffff:192.0.2.1` is 192.0.2.1, IPv6 in its short lower-case form. */
export function normalizeAddress(address: string): string {
  const trimmed = address.trim();
  return ipaddr.isValid(trimmed) ? ipaddr.process(trimmed).toString() : trimmed;
}

export interface ForwardedRequest {
  /** The TCP peer (`socket.remoteAddress`); undefined once the socket is gone. */
  peerAddress: string | undefined;
  /** X-Forwarded-For as received (Node joins repeated headers with ", "). */
  forwardedFor: string | undefined;
}

export interface ClientAddressDecision {
  /** The client's address, normalized; "unknown" without a peer. */
  clientAddress: string;
  /** X-Forwarded-For as the app should see it: the client, then each trusted hop, ending with the peer. */
  forwardedFor: string | undefined;
  /** The peer is a trusted proxy, so its other X-Forwarded-* headers can be believed too. */
  peerIsTrustedProxy: boolean;
}

export function decideClientAddress(request: ForwardedRequest, trust: TrustedProxies): ClientAddressDecision {
  if (!request.peerAddress) return { clientAddress: "unknown", forwardedFor: undefined, peerIsTrustedProxy: false };
  // proxy-addr reads only these two fields; the chain comes back peer first, client last.
  const chain = proxyAddr.all({ socket: { remoteAddress: request.peerAddress }, headers: { "x-forwarded-for": request.forwardedFor } } as unknown as IncomingMessage, trust).map(normalizeAddress);
  return {
    clientAddress: chain.at(-1)!,
    forwardedFor: [...chain].reverse().join(", "),
    peerIsTrustedProxy: trust(request.peerAddress, 0),
  };
}
