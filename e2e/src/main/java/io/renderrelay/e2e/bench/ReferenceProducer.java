package io.renderrelay.e2e.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The throughput reference: Kafka's own {@code ProducerPerformance} (kafka-tools), transactional, 1
 * KiB records, unthrottled, against the same broker, in a child JVM.
 */
public final class ReferenceProducer {

  /** What ProducerPerformance reported in its summary line. */
  public record Result(
      long records,
      double recordsPerSecond,
      double mbPerSecond,
      double avgLatencyMs,
      String summary) {}

  private static final Pattern SUMMARY =
      Pattern.compile(
          "(\\d+) records sent, ([0-9.]+) records/sec \\(([0-9.]+) MB/sec\\), ([0-9.]+) ms avg"
              + " latency.*");

  private ReferenceProducer() {}

  /**
   * Creates {@code topic} (partitions as the worker's topics) and produces {@code records} to it.
   */
  public static Result run(
      Admin admin,
      String bootstrap,
      String topic,
      int partitions,
      long records,
      Duration txDuration,
      Path log)
      throws Exception {
    admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
    List<String> cmd =
        ChildJvm.command(
            List.of("-Xmx512m"),
            "org.apache.kafka.tools.ProducerPerformance",
            List.of(
                "--bootstrap-server",
                bootstrap,
                "--topic",
                topic,
                "--num-records",
                Long.toString(records),
                "--record-size",
                "1024",
                "--throughput",
                "-1",
                "--transactional-id",
                "bench-reference-" + topic,
                "--transaction-duration-ms",
                Long.toString(txDuration.toMillis()),
                "--command-property",
                "acks=all"));
    ChildJvm.Outcome out = ChildJvm.run(cmd, Map.of(), log, Duration.ofMinutes(10));
    for (int i = out.lines().size() - 1; i >= 0; i--) {
      Matcher m = SUMMARY.matcher(out.lines().get(i).trim());
      if (m.matches()) {
        return new Result(
            Long.parseLong(m.group(1)),
            Double.parseDouble(m.group(2)),
            Double.parseDouble(m.group(3)),
            Double.parseDouble(m.group(4)),
            m.group(0));
      }
    }
    throw new IllegalStateException(
        "ProducerPerformance printed no summary (exit "
            + out.exitCode()
            + "), see "
            + log
            + ":\n"
            + out.tail());
  }
}
