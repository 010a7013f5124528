package io.renderrelay.worker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.renderrelay.avro.JobState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code render-relay jobs show <jobId>}: one job's state and its timeline. */
@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description = {
      "Print one job's ledger state (phase, paid attempts, task id, last provider status,"
          + " deadline, S3 keys) and the timeline of its ledger records still on the topic.",
      "Reads the job's partition of the ledger topic from the beginning. Exit code 1 when the"
          + " ledger does not know the job (never seen, or forgotten after the dedupe horizon)."
    })
final class JobsShowCommand implements Callable<Integer> {

  @Mixin GlobalOptions global;
  @Mixin LedgerOptions ledger;

  @Parameters(paramLabel = "JOB_ID", description = "The job id (the command's key).")
  String jobId;

  @Option(names = "--json", description = "Print the state and timeline as one JSON object.")
  boolean json;

  private final CliContext ctx;

  JobsShowCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    List<LedgerTopicReader.Entry> history = new ArrayList<>();
    try (ClientFactory clients = ctx.clients().apply(global);
        Consumer<byte[], byte[]> consumer = clients.consumer("jobs-show")) {
      LedgerTopicReader reader = ledger.reader(consumer);
      reader.read(
          List.of(reader.partitionOf(jobId)),
          e -> {
            if (e.jobId().equals(jobId)) {
              history.add(e);
            }
          });
    }
    Optional<JobState> current = history.isEmpty() ? Optional.empty() : history.getLast().state();
    if (current.isEmpty()) {
      ctx.err()
          .println(
              "job "
                  + jobId
                  + (history.isEmpty()
                      ? " is not in the ledger (never seen, or compacted away after its dedupe"
                          + " horizon)"
                      : " was forgotten (tombstone at offset " + history.getLast().offset() + ")"));
      ctx.err().flush();
      return 1;
    }
    JobView view = new JobView(ledger.rootPrefix);
    if (json) {
      ObjectNode n = new ObjectMapper().createObjectNode();
      n.set("state", view.json(current.get()));
      ArrayNode timeline = n.putArray("timeline");
      for (LedgerTopicReader.Entry e : history) {
        ObjectNode t = timeline.addObject();
        t.put("offset", e.offset());
        t.put("time", e.time().toString());
        e.state()
            .ifPresentOrElse(s -> t.set("state", AvroJson.toJson(s)), () -> t.putNull("state"));
      }
      ctx.out().println(n);
    } else {
      view.detail(ctx.out(), current.get(), history, ctx.clock().instant());
    }
    ctx.out().flush();
    return 0;
  }
}
