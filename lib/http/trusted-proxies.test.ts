import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compileTrustedProxies, configuredTrustedProxies, decideClientAddress, normalizeAddress } from "./trusted-proxies";

const nobody = compileTrustedProxies([]);
const decide = (peerAddress: string | undefined, forwardedFor: string | undefined, trusted: string[] = []) =>
  decideClientAddress({ peerAddress, forwardedFor }, trusted.length ? compileTrustedProxies(trusted) : nobody);

describe("deciding the client address", () => {
  describe("with no trusted proxy", () => {
    it("is the TCP peer, whatever X-Forwarded-For claims", () => {
      const decision = decide("203.0.113.9", "198.51.100.1, 10.0.0.1");
      assert.equal(decision.clientAddress, "203.0.113.9");
      assert.equal(decision.forwardedFor, "203.0.113.9", "the client's own X-Forwarded-For entries are dropped");
      assert.equal(decision.peerIsTrustedProxy, false);
    });

    it("is the peer when there is no X-Forwarded-For at all", () => {
      assert.deepEqual(decide("203.0.113.9", undefined), { clientAddress: "203.0.113.9", forwardedFor: "203.0.113.9", peerIsTrustedProxy: false });
    });

    it("is 'unknown' once the socket has no address", () => {
      assert.deepEqual(decide(undefined, "198.51.100.1"), { clientAddress: "unknown", forwardedFor: undefined, peerIsTrustedProxy: false });
    });
  });

  describe("behind trusted proxies", () => {
    it("believes the address a trusted proxy forwarded for", () => {
      const decision = decide("10.0.0.5", "198.51.100.7", ["10.0.0.5"]);
      assert.equal(decision.clientAddress, "198.51.100.7");
      assert.equal(decision.forwardedFor, "198.51.100.7, 10.0.0.5");
      assert.equal(decision.peerIsTrustedProxy, true);
    });

    it("walks a chain of trusted proxies (a CIDR range) to the first untrusted hop, dropping what the client wrote before it", () => {
      const decision = decide("10.0.0.5", "192.0.2.66, 198.51.100.7, 10.0.1.9", ["10.0.0.0/16"]);
      assert.equal(decision.clientAddress, "198.51.100.7");
      assert.equal(decision.forwardedFor, "198.51.100.7, 10.0.1.9, 10.0.0.5");
    });

    it("takes the leftmost entry when every hop is trusted", () => {
      assert.equal(decide("10.0.0.5", "10.0.0.9", ["10.0.0.0/8"]).clientAddress, "10.0.0.9");
    });

    it("a trusted proxy that sends no X-Forwarded-For is itself the client", () => {
      const decision = decide("10.0.0.5", undefined, ["10.0.0.5"]);
      assert.equal(decision.clientAddress, "10.0.0.5");
      assert.equal(decision.peerIsTrustedProxy, true);
    });

    it("an untrusted peer's X-Forwarded-For is ignored even when it names a trusted proxy", () => {
      assert.equal(decide("203.0.113.9", "10.0.0.5", ["10.0.0.5"]).clientAddress, "203.0.113.9");
    });

    it("an entry that is not an address ends the chain as the client, never as a trusted hop", () => {
      assert.equal(decide("10.0.0.5", "198.51.100.7, unknown", ["10.0.0.5"]).clientAddress, "unknown");
    });

    it("accepts proxy-addr's names for whole ranges", () => {
      assert.equal(decide("127.0.0.1", "198.51.100.7", ["loopback"]).clientAddress, "198.51.100.7");
    });
  });

  describe("IPv6 and IPv4-mapped addresses", () => {
    it("a peer on a dual-stack socket (::ffff:a.b.c.d) is the IPv4 address, and matches an IPv4 trusted proxy", () => {
      assert.equal(decide("::ffff:203.0.113.9", undefined).clientAddress, "203.0.113.9");
      const decision = decide("::ffff:10.0.0.5", "198.51.100.7", ["10.0.0.5"]);
      assert.equal(decision.clientAddress, "198.51.100.7");
      assert.equal(decision.forwardedFor, "198.51.100.7, 10.0.0.5");
    });

    it("a forwarded IPv4-mapped client is the IPv4 address", () => {
      assert.equal(decide("10.0.0.5", "::FFFF:198.51.100.7", ["10.0.0.5"]).clientAddress, "198.51.100.7");
    });

    it("IPv6 peers and proxies, in any spelling, come out in one short lower-case form", () => {
      assert.equal(decide("2001:DB8:0:0:0:0:0:1", undefined).clientAddress, "2001:db8::1");
      const decision = decide("2001:db8::a", "2001:DB8:FFFF::7", ["2001:db8::/112"]);
      assert.equal(decision.clientAddress, "2001:db8:ffff::7");
      assert.equal(decision.forwardedFor, "2001:db8:ffff::7, 2001:db8::a");
      assert.equal(decide("::1", "2001:db8::7", ["::1"]).clientAddress, "2001:db8::7");
    });
  });
});

describe("the trusted proxy list", () => {
  it("refuses an entry that is not an address or range", () => {
    assert.throws(() => compileTrustedProxies(["10.0.0.0/33"]), /invalid range/);
    assert.throws(() => compileTrustedProxies(["proxy.example.com"]), /invalid IP address/);
  });

  it("comes from TRUSTED_PROXIES, or its old name AUTH_TRUSTED_PROXIES", () => {
    assert.deepEqual(configuredTrustedProxies({ TRUSTED_PROXIES: ["10.0.0.1"], AUTH_TRUSTED_PROXIES: ["10.0.0.2"] }), ["10.0.0.1"]);
    assert.deepEqual(configuredTrustedProxies({ AUTH_TRUSTED_PROXIES: ["10.0.0.2"] }), ["10.0.0.2"]);
    assert.deepEqual(configuredTrustedProxies({}), []);
  });
});

describe("normalizing an address", () => {
  it("leaves what is not an IP address as it was", () => {
    assert.equal(normalizeAddress(" 192.0.2.1 "), "192.0.2.1");
    assert.equal(normalizeAddress("::ffff:c000:0201"), "192.0.2.1");
    assert.equal(normalizeAddress("not-an-ip"), "not-an-ip");
  });
});
