package io.renderrelay.e2e.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The restore reference: Kafka's own {@code ConsumerPerformance} (kafka-tools) reading a topic from
 * the beginning, in a child JVM.
 */
public final class ReferenceConsumer {

  /**
   * What ConsumerPerformance reported.
   *
   * @param fetchRecordsPerSecond records a second while fetching (group join excluded)
   */
  public record Result(
      long records, double fetchRecordsPerSecond, double fetchSeconds, String summary) {}

  private ReferenceConsumer() {}

  /** Reads {@code records} records of {@code topic}. */
  public static Result run(String bootstrap, String topic, long records, Path log)
      throws Exception {
    return run(bootstrap, topic, records, log, "bench-reference-" + topic);
  }

  /**
   * Reads {@code records} records of {@code topic} as consumer group {@code group} (a group that
   * has read the topic before starts at its committed offsets: use a new one per repetition).
   */
  public static Result run(String bootstrap, String topic, long records, Path log, String group)
      throws Exception {
    List<String> cmd =
        ChildJvm.command(
            List.of("-Xmx512m"),
            "org.apache.kafka.tools.ConsumerPerformance",
            List.of(
                "--bootstrap-server",
                bootstrap,
                "--topic",
                topic,
                "--messages",
                Long.toString(records),
                "--group",
                group,
                "--timeout",
                "60000"));
    ChildJvm.Outcome out = ChildJvm.run(cmd, Map.of(), log, Duration.ofMinutes(10));
    // header: start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec,
    // rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
    for (int i = out.lines().size() - 1; i >= 0; i--) {
      String[] f = out.lines().get(i).split(",\\s*");
      if (f.length >= 10 && f[4].trim().matches("\\d+")) {
        long n = Long.parseLong(f[4].trim());
        double fetchMs = Double.parseDouble(f[7].trim());
        return new Result(
            n, Double.parseDouble(f[9].trim()), fetchMs / 1000.0, out.lines().get(i).trim());
      }
    }
    throw new IllegalStateException(
        "ConsumerPerformance printed no summary (exit "
            + out.exitCode()
            + "), see "
            + log
            + ":\n"
            + out.tail());
  }
}
