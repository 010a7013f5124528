package io.renderrelay.worker.kafka;

import java.util.Map;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/** A one-node KRaft broker for ITs, sized for this machine, with transactions on one node. */
public final class TestBroker {

  private TestBroker() {}

  /** Starts a broker with {@code extra} broker properties on top of the common ones. */
  public static KafkaClusterTestKit start(Map<String, String> extra) throws Exception {
    KafkaClusterTestKit.Builder b =
        new KafkaClusterTestKit.Builder(
                new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build())
            .setConfigProp("offsets.topic.replication.factor", "1")
            .setConfigProp("transaction.state.log.replication.factor", "1")
            .setConfigProp("transaction.state.log.min.isr", "1")
            .setConfigProp("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024))
            .setConfigProp("group.initial.rebalance.delay.ms", "0");
    extra.forEach(b::setConfigProp);
    KafkaClusterTestKit cluster = b.build();
    cluster.format();
    cluster.startup();
    cluster.waitForReadyBrokers();
    return cluster;
  }
}
