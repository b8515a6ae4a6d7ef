import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { serverProperties } from "./broker";
import { busiestLeader, clusterNodePorts, type PartitionPlacement } from "./cluster";

describe("Kafka node configuration", () => {
  it("writes the single broker's server.properties exactly as before clusters existed", () => {
    const text = serverProperties({ nodeId: 1, port: 9092, controllerPort: 9093, voters: "1@127.0.0.1:9093", logDirs: "/data/kraft-logs", nodes: 1, replicationFactor: 1, minInsyncReplicas: 1 });
    assert.equal(
      text,
      `# Written by scripts/kafka/broker.ts on every start; edits are overwritten.
# Single-node KRaft: this process is both broker and controller.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:9093
listeners=PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093
advertised.listeners=PLAINTEXT://127.0.0.1:9092
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=/data/kraft-logs

# One node: every internal topic has a single replica.
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
default.replication.factor=1
min.insync.replicas=1

# Topics are created explicitly (lib/messaging/topics.ts), with their own retention settings.
auto.create.topics.enable=false
num.partitions=6

# Consumers in a fresh group start at once instead of waiting 3 s for more members.
group.initial.rebalance.delay.ms=0
`,
    );
  });

  it("makes every node of a cluster a voter, with replicated internal topics", () => {
    const voters = [1, 2, 3].map((id) => `${id}@127.0.0.1:${clusterNodePorts(9092, id).controllerPort}`).join(",");
    const text = serverProperties({ nodeId: 2, ...clusterNodePorts(9092, 2), voters, logDirs: "/data/node-2/kraft-logs", nodes: 3, replicationFactor: 3, minInsyncReplicas: 2 });
    for (const line of [
      "process.roles=broker,controller",
      "node.id=2",
      "controller.quorum.voters=1@127.0.0.1:9093,2@127.0.0.1:9095,3@127.0.0.1:9097",
      "listeners=PLAINTEXT://127.0.0.1:9094,CONTROLLER://127.0.0.1:9095",
      "advertised.listeners=PLAINTEXT://127.0.0.1:9094",
      "offsets.topic.replication.factor=3",
      "transaction.state.log.replication.factor=3",
      "transaction.state.log.min.isr=2",
      "default.replication.factor=3",
      "min.insync.replicas=2",
    ]) {
      assert.ok(text.split("\n").includes(line), `missing ${line}`);
    }
  });

  it("gives node N the client port basePort + 2(N-1) and the controller port after it", () => {
    assert.deepEqual([1, 2, 3].map((id) => clusterNodePorts(9092, id)), [
      { port: 9092, controllerPort: 9093 },
      { port: 9094, controllerPort: 9095 },
      { port: 9096, controllerPort: 9097 },
    ]);
  });

  it("finds the node leading the most partitions of a topic", () => {
    const p = (topic: string, partition: number, leader: number): PartitionPlacement => ({ topic, partition, leader, replicas: [1, 2, 3], isr: [1, 2, 3] });
    const placement = [p("quote-events", 0, 2), p("quote-events", 1, 3), p("quote-events", 2, 2), p("quote-events", 3, -1), p("other", 0, 3), p("other", 1, 3)];
    assert.deepEqual(busiestLeader(placement, "quote-events"), { nodeId: 2, partitions: 2 });
    assert.deepEqual(busiestLeader([p("quote-events", 0, 3), p("quote-events", 1, 1)], "quote-events"), { nodeId: 1, partitions: 1 }, "lowest id on a tie");
  });
});
