package io.renderrelay.worker.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.renderrelay.avro.JobState;
import io.renderrelay.avro.JobType;
import io.renderrelay.worker.job.state.JobCommand;
import io.renderrelay.worker.job.state.Jobs;
import io.renderrelay.worker.storage.KeyLayout;
import io.renderrelay.worker.storage.OutputKind;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * How a ledger entry is shown: a summary line, the detail view, JSON (the CLI's and {@code GET
 * /jobs/{jobId}}'s).
 */
public final class JobView {

  private final KeyLayout layout;

  public JobView(String rootPrefix) {
    this.layout = new KeyLayout(rootPrefix);
  }

  static String line(JobState s) {
    return String.format(
        "%-36s %-8s %-10s %-22s attempts=%d polls=%d updated=%s",
        s.getJobId(),
        type(s.getJobType()),
        s.getPhase(),
        Optional.ofNullable(s.getOutcome()).orElse("-"),
        s.getSubmitAttempts(),
        s.getPolls(),
        s.getUpdatedAt());
  }

  void detail(PrintWriter out, JobState s, List<LedgerTopicReader.Entry> history, Instant now) {
    out.println("job        " + s.getJobId() + " (" + type(s.getJobType()) + ")");
    out.println("phase      " + s.getPhase() + outcome(s));
    out.println("attempts   " + s.getSubmitAttempts() + " paid submission(s)");
    out.println("task id    " + Optional.ofNullable(s.getTaskId()).orElse("-"));
    out.println(
        "provider   "
            + Optional.ofNullable(s.getLastProviderStatus()).orElse("-")
            + " after "
            + s.getPolls()
            + " poll(s), poll seq "
            + s.getPollSeq());
    out.println("created    " + s.getCreatedAt());
    out.println(
        "submitted  " + Optional.ofNullable(s.getSubmittedAt()).map(Object::toString).orElse("-"));
    out.println("updated    " + s.getUpdatedAt());
    out.println(
        "deadline   "
            + s.getDeadline()
            + (Jobs.terminal(s.getPhase()) || s.getDeadline().isAfter(now) ? "" : " (passed)"));
    out.println("s3 keys    " + keys(s));
    out.println(
        "timeline   (ledger records of this job still on the topic; compaction keeps the last)");
    for (LedgerTopicReader.Entry e : history) {
      out.println(
          "  "
              + e.time()
              + "  offset "
              + e.offset()
              + "  "
              + e.state()
                  .map(
                      st ->
                          st.getPhase()
                              + outcome(st)
                              + " attempts="
                              + st.getSubmitAttempts()
                              + " polls="
                              + st.getPolls()
                              + Optional.ofNullable(st.getLastProviderStatus())
                                  .map(p -> " provider=" + p)
                                  .orElse(""))
                  .orElse("tombstone (forgotten after the dedupe horizon)"));
    }
  }

  /** The state as JSON, with its S3 keys. */
  public ObjectNode json(JobState s) {
    ObjectNode n = (ObjectNode) AvroJson.toJson(s);
    n.put("s3Keys", keys(s));
    return n;
  }

  private String keys(JobState s) {
    if (JobCommand.of(s).isEmpty()) {
      return "- (no command recorded: the job never ran)";
    }
    try {
      String prefix = Jobs.outputPrefix(s).orElse(null);
      return layout.key(s.getJobType(), prefix, s.getJobId(), OutputKind.VIDEO)
          + " (+ poster, last frame where the job type has them)";
    } catch (IllegalArgumentException e) {
      return "- (" + e.getMessage() + ")";
    }
  }

  private static String outcome(JobState s) {
    return s.getOutcome() == null || s.getOutcome().equals(s.getPhase().name())
        ? ""
        : " (" + s.getOutcome() + ")";
  }

  static String type(JobType t) {
    return t == JobType.ACT_ONE ? "act-one" : "restyle";
  }
}
