package io.renderrelay.worker.spend;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks the settings of a spend journal topic that already existed: compaction would keep one
 * entry per key and lose reservations, a retention shorter than the caps' look-back would forget
 * spend still counted; either way caps would let more through than configured. The worker refuses
 * to start on such a topic rather than spend on a book it cannot trust.
 */
public final class SpendTopicCheck {

  /** The caps look back to the start of the previous month: at most 62 days. */
  static final Duration LOOK_BACK = Duration.ofDays(62);

  private SpendTopicCheck() {}

  /** The problems of an existing topic's effective configs (empty: fit for the journal). */
  public static List<String> problems(String topic, Map<String, String> configs) {
    List<String> out = new ArrayList<>();
    String policy = configs.getOrDefault("cleanup.policy", "delete");
    if (policy.contains("compact")) {
      out.add(
          topic
              + " has cleanup.policy="
              + policy
              + ": compaction drops reservations; set it to delete (kafka-configs --alter"
              + " --entity-type topics --entity-name "
              + topic
              + " --add-config cleanup.policy=delete)");
    }
    String retention = configs.get("retention.ms");
    if (retention != null) {
      long ms;
      try {
        ms = Long.parseLong(retention.trim());
      } catch (NumberFormatException e) {
        ms = LOOK_BACK.toMillis();
      }
      if (ms >= 0 && ms < LOOK_BACK.toMillis()) {
        out.add(
            topic
                + " has retention.ms="
                + ms
                + " ("
                + Duration.ofMillis(ms).toDays()
                + " days): caps look back to the start of the previous month; set retention.ms to"
                + " at least "
                + LOOK_BACK.toMillis()
                + " ("
                + LOOK_BACK.toDays()
                + " days)");
      }
    }
    return out;
  }
}
