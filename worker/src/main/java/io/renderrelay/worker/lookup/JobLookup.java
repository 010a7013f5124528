package io.renderrelay.worker.lookup;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.renderrelay.avro.JobState;
import io.renderrelay.worker.engine.PipelineListener;
import io.renderrelay.worker.job.JobQuery;
import io.renderrelay.worker.job.core.Ownership;
import io.renderrelay.worker.ledger.LedgerReader;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /jobs/{jobId}} on any replica, as Kafka Streams' interactive queries: the job's owner
 * partition comes from {@link Ownership}; the replica owning that partition answers from its local
 * store, any other one forwards the query to the owner ({@link Owners}) and passes its answer on.
 * 404: the owner's ledger does not know the job; 503: the partition is restoring, moving, or its
 * owner cannot be found or reached (ask again).
 */
public final class JobLookup implements JobQuery, PipelineListener {

  private static final Logger log = LoggerFactory.getLogger(JobLookup.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Finds the management URL of the replica that owns a partition now. */
  public interface Owners {
    /** Empty while no replica holds the partition (a rebalance) or its URL is unknown. */
    Optional<URI> ownerOf(int partition);

    /** The owner returned for {@code partition} could not answer for it (a cache forgets it). */
    default void stale(int partition) {}

    /** This replica's assignment changed, so the group's did (a cache forgets its view). */
    default void assignmentChanged() {}
  }

  /** Asks the owner's management listener for the job. */
  public interface Forwarder {
    Answer get(URI owner, String jobId) throws IOException;
  }

  private final Ownership ownership;
  private final LedgerReader ledger;
  private final IntPredicate restoring;
  private final Owners owners;
  private final Forwarder forwarder;
  private final Function<JobState, ObjectNode> view;
  private final String instanceId;
  private volatile Set<Integer> owned = Set.of();

  /**
   * @param restoring true for an owned partition whose ledger is not restored yet
   * @param view the job's state as {@code render-relay jobs show --json} prints it
   */
  public JobLookup(
      Ownership ownership,
      LedgerReader ledger,
      IntPredicate restoring,
      Owners owners,
      Forwarder forwarder,
      Function<JobState, ObjectNode> view,
      String instanceId) {
    this.ownership = ownership;
    this.ledger = ledger;
    this.restoring = restoring;
    this.owners = owners;
    this.forwarder = forwarder;
    this.view = view;
    this.instanceId = instanceId;
  }

  @Override
  public void partitionsOwned(Set<Integer> partitions) {
    owned = Set.copyOf(partitions);
    owners.assignmentChanged();
  }

  @Override
  public Answer find(String jobId, boolean forwarded) throws IOException {
    int partition = ownership.owner(jobId.getBytes(StandardCharsets.UTF_8));
    if (owned.contains(partition)) {
      return local(jobId, partition);
    }
    if (forwarded) {
      return unavailable(jobId, partition, "its partition moved away from this replica");
    }
    Optional<URI> owner;
    try {
      owner = owners.ownerOf(partition);
    } catch (RuntimeException e) {
      log.warn("job lookup: owner of partition {} not found: {}", partition, e.toString());
      return unavailable(jobId, partition, "its owner could not be looked up");
    }
    if (owner.isEmpty()) {
      return unavailable(jobId, partition, "no replica owns its partition now (rebalancing)");
    }
    try {
      Answer answer = forwarder.get(owner.get(), jobId);
      if (answer.status() == 503) {
        owners.stale(partition); // e.g. the partition moved away from it meanwhile
      }
      return answer;
    } catch (IOException e) {
      owners.stale(partition);
      log.warn(
          "job lookup: owner {} of partition {} unreachable: {}",
          owner.get(),
          partition,
          e.toString());
      return unavailable(jobId, partition, "its owner " + owner.get() + " is unreachable");
    }
  }

  private Answer local(String jobId, int partition) throws IOException {
    if (restoring.test(partition)) {
      return unavailable(jobId, partition, "its ledger partition is restoring");
    }
    Optional<JobState> state = ledger.get(partition, jobId);
    ObjectNode body = base(jobId, partition);
    if (state.isEmpty()) {
      body.put("result", "not in the ledger (never seen, or forgotten after the dedupe horizon)");
      return new Answer(404, JSON.writeValueAsBytes(body));
    }
    body.set("state", SignedUrls.strip(view.apply(state.get())));
    return new Answer(200, JSON.writeValueAsBytes(body));
  }

  private Answer unavailable(String jobId, int partition, String why) throws IOException {
    ObjectNode body = base(jobId, partition).put("result", "unavailable: " + why + "; retry");
    return new Answer(503, JSON.writeValueAsBytes(body));
  }

  private ObjectNode base(String jobId, int partition) {
    return JSON.createObjectNode()
        .put("jobId", jobId)
        .put("partition", partition)
        .put("servedBy", instanceId);
  }
}
