package io.renderrelay.worker.kafka;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline group's protocol and the settings that move with it. Under the consumer group
 * protocol the session timeout and heartbeat interval belong to the group, not to the client (the
 * client refuses them): the documented {@code kafka.client.session.timeout.ms} and {@code
 * kafka.client.heartbeat.interval.ms} are applied as the group's {@code
 * consumer.session.timeout.ms} and {@code consumer.heartbeat.interval.ms} at startup, within the
 * broker's bounds ({@code group.consumer.min.session.timeout.ms} and friends).
 */
public final class GroupSettings {

  private static final Logger log = LoggerFactory.getLogger(GroupSettings.class);

  /** Kafka 4's consumer group protocol (KIP-848): incremental, broker-driven rebalances. */
  public static final String PROTOCOL = "consumer";

  /** The broker's range assignor: partition N of every subscribed topic goes to one member. */
  public static final String ASSIGNOR = "range";

  /** Client property (classic protocol) to group config (consumer protocol). */
  private static final Map<String, String> TO_GROUP_CONFIG =
      Map.of(
          "session.timeout.ms", "consumer.session.timeout.ms",
          "heartbeat.interval.ms", "consumer.heartbeat.interval.ms");

  private GroupSettings() {}

  /** The client overrides the pipeline consumer accepts (group-level ones taken out). */
  static Map<String, String> consumerOverrides(Map<String, String> overrides) {
    Map<String, String> out = new HashMap<>(overrides);
    TO_GROUP_CONFIG.keySet().forEach(out::remove);
    return out;
  }

  /** The group configs that {@code overrides} ask for. */
  static Map<String, String> groupConfigs(Map<String, String> overrides) {
    Map<String, String> out = new HashMap<>();
    TO_GROUP_CONFIG.forEach(
        (client, group) -> {
          String v = overrides.get(client);
          if (v != null) {
            out.put(group, v);
          }
        });
    return out;
  }

  /**
   * Sets the group's session timeout and heartbeat interval when the configuration asks for them. A
   * broker that refuses (out of its bounds, no ALTER_CONFIGS on the group) is logged loudly and the
   * group keeps the broker defaults.
   */
  public static void apply(Admin admin, String groupId, Map<String, String> overrides) {
    Map<String, String> wanted = groupConfigs(overrides);
    if (wanted.isEmpty()) {
      return;
    }
    List<AlterConfigOp> ops = new ArrayList<>();
    wanted.forEach(
        (k, v) -> ops.add(new AlterConfigOp(new ConfigEntry(k, v), AlterConfigOp.OpType.SET)));
    ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, groupId);
    try {
      admin.incrementalAlterConfigs(Map.of(group, ops)).all().get(30, TimeUnit.SECONDS);
      log.info("consumer group {} configured: {}", groupId, wanted);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      log.error(
          "could not set {} on consumer group {}; the broker's defaults apply: {}",
          wanted,
          groupId,
          String.valueOf(cause));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
