package io.renderrelay.e2e.demo;

import io.renderrelay.avro.JobType;
import io.renderrelay.avro.RenderCompleted;
import io.renderrelay.avro.RenderFailed;
import io.renderrelay.avro.RenderOutput;
import io.renderrelay.e2e.demo.DemoJobs.DemoJob;
import io.renderrelay.e2e.demo.JobTracker.Outcome;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The demo's closing table: one row per job with its state, paid attempts, the S3 key and size of
 * the video and the start of its SHA-256; columns padded to their widest cell.
 */
final class ResultTable {

  /** What a job without a terminal event shows as its state. */
  public static final String LOST = "LOST";

  /** What a job the budget guard holds back shows (issue 14): not lost, it waits unpaid. */
  public static final String HELD = "HELD";

  private static final int SHA_PREFIX = 12;
  private static final List<String> HEADER =
      List.of("JOB", "TYPE", "STATE", "ATTEMPTS", "S3 KEY (video)", "BYTES", "SHA256");

  /**
   * One row.
   *
   * @param jobId the job id
   * @param type {@code restyle} or {@code act-one}
   * @param state {@code COMPLETED}, {@code FAILED(<reason>)}, {@value #HELD} or {@value #LOST}
   * @param attempts paid provider submissions, {@code -} when unknown
   * @param key the video's S3 key, {@code -} without a render
   * @param size the video's size in bytes, {@code -} without a render
   * @param sha256 the first 12 hex digits of the video's SHA-256, {@code -} without a render
   */
  public record Row(
      String jobId,
      String type,
      String state,
      String attempts,
      String key,
      String size,
      String sha256) {

    List<String> cells() {
      return List.of(jobId, type, state, attempts, key, size, sha256);
    }
  }

  private ResultTable() {}

  /** The row of a job the budget guard holds back: no event yet, nothing paid. */
  public static Row held(DemoJob job) {
    return new Row(job.jobId(), typeName(job.type()), HELD, "0", "-", "-", "-");
  }

  /** The row of a job from its terminal event (none: {@value #LOST}). */
  public static Row row(DemoJob job, Optional<Outcome> outcome) {
    String type = typeName(job.type());
    return switch (outcome.orElse(null)) {
      case Outcome.Completed(RenderCompleted e) ->
          new Row(
              job.jobId(),
              type,
              "COMPLETED",
              Integer.toString(e.getAttempts()),
              e.getVideo().getKey(),
              Long.toString(e.getVideo().getSizeBytes()),
              prefix(e.getVideo().getSha256()));
      case Outcome.Failed(RenderFailed e) ->
          new Row(
              job.jobId(),
              type,
              "FAILED(" + e.getReason() + ")",
              Integer.toString(e.getAttempts()),
              "-",
              "-",
              "-");
      case null -> new Row(job.jobId(), type, LOST, "-", "-", "-", "-");
    };
  }

  /** The table as lines: a header, a rule, then the rows in the given order. */
  public static List<String> format(List<Row> rows) {
    int[] widths = HEADER.stream().mapToInt(String::length).toArray();
    for (Row r : rows) {
      List<String> cells = r.cells();
      for (int i = 0; i < widths.length; i++) {
        widths[i] = Math.max(widths[i], cells.get(i).length());
      }
    }
    List<String> lines = new ArrayList<>(rows.size() + 2);
    lines.add(line(HEADER, widths));
    List<String> rule = new ArrayList<>();
    for (int w : widths) {
      rule.add("-".repeat(w));
    }
    lines.add(line(rule, widths));
    rows.forEach(r -> lines.add(line(r.cells(), widths)));
    return lines;
  }

  /**
   * Where the renders of these events are, as {@code under <common key prefix>, per job: <file
   * names seen>} (e.g. {@code under renders/, per job: video.mp4, poster.png, last_frame.png});
   * empty without events.
   */
  public static Optional<String> layout(List<RenderCompleted> completed) {
    if (completed.isEmpty()) {
      return Optional.empty();
    }
    String common = completed.get(0).getVideo().getKey();
    for (RenderCompleted e : completed) {
      String key = e.getVideo().getKey();
      int n = 0;
      while (n < common.length() && n < key.length() && common.charAt(n) == key.charAt(n)) {
        n++;
      }
      common = common.substring(0, n);
    }
    String root = common.substring(0, common.lastIndexOf('/') + 1);
    Set<String> names = new LinkedHashSet<>();
    for (RenderCompleted e : completed) {
      names.add(fileName(e.getVideo()));
      if (e.getPoster() != null) {
        names.add(fileName(e.getPoster()));
      }
      if (e.getLastFrame() != null) {
        names.add(fileName(e.getLastFrame()));
      }
    }
    return Optional.of(
        "under "
            + (root.isEmpty() ? "the bucket root" : root)
            + ", per job: "
            + String.join(", ", names));
  }

  private static String fileName(RenderOutput output) {
    String key = output.getKey();
    return key.substring(key.lastIndexOf('/') + 1);
  }

  private static String line(List<String> cells, int[] widths) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String cell = cells.get(i);
      boolean numeric = i == 3 || i == 5;
      String padded =
          numeric
              ? " ".repeat(widths[i] - cell.length()) + cell
              : cell + " ".repeat(widths[i] - cell.length());
      sb.append(i == 0 ? "" : "  ").append(padded);
    }
    return sb.toString().stripTrailing();
  }

  private static String typeName(JobType type) {
    return type.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static String prefix(String sha256) {
    return sha256.length() <= SHA_PREFIX ? sha256 : sha256.substring(0, SHA_PREFIX);
  }
}
