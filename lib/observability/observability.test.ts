import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bucketIndex, COMMAND_HISTORY_BUCKETS, quantileFromBuckets } from "./command-history";
import { compileTrustedProxies, decideClientAddress } from "../http/trusted-proxies";
import { isLoopback, mayReadMetrics } from "./metrics-access";
import { EndOffsetHistory } from "./system-sampler";

const TOKEN = "metrics-token-metrics-token-0001";

describe("metrics access", () => {
  it("lets loopback in without a token, in every spelling", () => {
    for (const address of ["127.0.0.1", "127.3.2.1", "::1", "::ffff:127.0.0.1"]) assert.ok(isLoopback(address), address);
    assert.ok(mayReadMetrics({ clientAddress: "::1", authorization: null }, undefined));
  });

  it("refuses anyone else without the token, also when no token is configured", () => {
    for (const address of ["10.0.0.5", "192.0.2.1", "unknown", "", "127.0.0.1, 10.0.0.5"]) {
      assert.equal(isLoopback(address), false, address);
      assert.equal(mayReadMetrics({ clientAddress: address, authorization: null }, TOKEN), false, address);
      assert.equal(mayReadMetrics({ clientAddress: address, authorization: `Bearer ${TOKEN}` }, undefined), false, `${address}, no token configured`);
    }
    assert.equal(mayReadMetrics({ clientAddress: "192.0.2.1", authorization: "Bearer wrong" }, TOKEN), false);
    assert.equal(mayReadMetrics({ clientAddress: "192.0.2.1", authorization: TOKEN }, TOKEN), false, "not a bearer");
  });

  it("does not take a forged X-Forwarded-For from an untrusted peer for loopback", () => {
    const forged = decideClientAddress({ peerAddress: "203.0.113.9", forwardedFor: "127.0.0.1" }, compileTrustedProxies(["loopback"]));
    assert.equal(forged.clientAddress, "203.0.113.9");
    assert.equal(mayReadMetrics({ clientAddress: forged.clientAddress, authorization: null }, TOKEN), false);
    const proxied = decideClientAddress({ peerAddress: "127.0.0.1", forwardedFor: "198.51.100.4" }, compileTrustedProxies(["loopback"]));
    assert.equal(mayReadMetrics({ clientAddress: proxied.clientAddress, authorization: null }, TOKEN), false, "a loopback proxy forwarding for a stranger");
  });

  it("lets a caller with the token in from anywhere", () => {
    assert.ok(mayReadMetrics({ clientAddress: "192.0.2.1", authorization: `Bearer ${TOKEN}` }, TOKEN));
    assert.ok(mayReadMetrics({ clientAddress: "192.0.2.1", authorization: `bearer ${TOKEN}` }, TOKEN));
  });
});

describe("command history quantiles", () => {
  const histogram = (durations: number[]) => {
    const buckets = new Array<number>(COMMAND_HISTORY_BUCKETS.length + 1).fill(0);
    for (const d of durations) buckets[bucketIndex(d)]!++;
    return buckets;
  };

  it("puts a duration in the first bucket whose bound it does not exceed, and past the last in the overflow", () => {
    assert.equal(bucketIndex(0.001), 0);
    assert.equal(bucketIndex(COMMAND_HISTORY_BUCKETS[0]!), 0);
    assert.equal(bucketIndex(0.02), COMMAND_HISTORY_BUCKETS.indexOf(0.025));
    assert.equal(bucketIndex(60), COMMAND_HISTORY_BUCKETS.length);
  });

  it("reads p50 and p99 from the summed buckets, within the bucket that holds them", () => {
    const buckets = histogram([...Array(98).fill(0.02), 0.4, 0.4]);
    const p50 = quantileFromBuckets(buckets, 0.5)!;
    const p99 = quantileFromBuckets(buckets, 0.99)!;
    assert.ok(p50 > 0.01 && p50 <= 0.025, String(p50));
    assert.ok(p99 > 0.25 && p99 <= 0.5, String(p99));
    assert.equal(quantileFromBuckets(histogram([]), 0.5), null);
    assert.equal(quantileFromBuckets(histogram([99]), 0.99), COMMAND_HISTORY_BUCKETS.at(-1));
  });
});

describe("lag in seconds from end offsets", () => {
  it("is the time since the first sample that saw the partition's next message exist, and 0 before", () => {
    const history = new EndOffsetHistory();
    history.observe(0, 10n, 1_000); // offsets 0..9 exist
    assert.equal(history.waitOf(0, 10n, 1_000), 0, "offset 10 not seen yet");
    history.observe(0, 12n, 5_000); // 10 and 11 arrived
    history.observe(0, 15n, 9_000);
    assert.equal(history.waitOf(0, 10n, 9_000), 4, "offset 10 seen first at 5 s");
    assert.equal(history.waitOf(0, 12n, 9_000), 0, "offset 12 seen first at 9 s");
    assert.equal(history.waitOf(0, 14n, 11_000), 2, "offset 14 seen first at 9 s");
    assert.equal(history.waitOf(1, 0n, 11_000), 0, "a partition never sampled");
  });
});
