import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { quoteStartKeyOf } from "./quote-start-throttle";

describe("what the quote start throttle counts per", () => {
  it("an IPv4 address, however it was written", () => {
    assert.equal(quoteStartKeyOf("198.51.100.7"), "198.51.100.7");
    assert.equal(quoteStartKeyOf("::ffff:198.51.100.7"), "198.51.100.7");
  });

  it("the /64 of an IPv6 address, so one subscriber cannot walk through its addresses for fresh budgets", () => {
    assert.equal(quoteStartKeyOf("2001:db8:1:2::7"), "2001:db8:1:2::/64");
    assert.equal(quoteStartKeyOf("2001:DB8:1:2:ffff:ffff:ffff:ffff"), "2001:db8:1:2::/64");
    assert.notEqual(quoteStartKeyOf("2001:db8:1:3::7"), quoteStartKeyOf("2001:db8:1:2::7"));
  });

  it("a message without an address counts as one shared 'unknown' client", () => {
    assert.equal(quoteStartKeyOf(undefined), "unknown");
    assert.equal(quoteStartKeyOf("unknown"), "unknown");
  });
});
