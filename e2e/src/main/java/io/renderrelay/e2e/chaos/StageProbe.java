package io.renderrelay.e2e.chaos;

import io.renderrelay.devstack.simulator.SimulatorControl;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.utils.Utils;

/**
 * Counts, just before a kill, the unfinished jobs of the victim's partitions by {@link Stage}: the
 * victim's assignment comes from the consumer group (client id {@code rr-pipeline-<instance>}), the
 * stage from the committed ledger and the simulator's view of the task.
 */
final class StageProbe {

  private final AssignmentWatch assignments;
  private final int partitions;
  private final LedgerWatch ledger;
  private final SimulatorControl simulator;
  private final Supplier<Collection<String>> published;
  private final Predicate<String> finished;

  public StageProbe(
      Admin admin,
      String groupId,
      int partitions,
      LedgerWatch ledger,
      SimulatorControl simulator,
      Supplier<Collection<String>> published,
      Predicate<String> finished) {
    this.assignments = new AssignmentWatch(admin, groupId);
    this.partitions = partitions;
    this.ledger = ledger;
    this.simulator = simulator;
    this.published = published;
    this.finished = finished;
  }

  /**
   * The victim's unfinished jobs by stage; empty when the group could not be described (e.g. the
   * broker is restarting) or the victim holds no partitions (a rebalance is under way).
   */
  public Optional<Map<Stage, Integer>> victimStages(String instanceId) {
    Set<Integer> owned = ownedPartitions(instanceId);
    if (owned.isEmpty()) {
      return Optional.empty();
    }
    Map<Stage, Integer> counts = new EnumMap<>(Stage.class);
    for (String jobId : published.get()) {
      if (finished.test(jobId)) {
        continue;
      }
      Optional<LedgerWatch.Entry> e = ledger.entry(jobId);
      int partition = e.map(LedgerWatch.Entry::partition).orElseGet(() -> partitionOf(jobId));
      if (owned.contains(partition)) {
        stageOf(e).ifPresent(s -> counts.merge(s, 1, Integer::sum));
      }
    }
    return Optional.of(counts);
  }

  private Optional<Stage> stageOf(Optional<LedgerWatch.Entry> e) {
    if (e.isEmpty()) {
      return Optional.of(Stage.INTAKE);
    }
    return switch (e.get().phase()) {
      case QUEUED, UNKNOWN -> Optional.of(Stage.QUEUED);
      case SUBMITTING -> Optional.of(Stage.SUBMITTING);
      case POLLING, COPYING ->
          Optional.of(taskSucceeded(e.get().taskId()) ? Stage.COPY : Stage.POLLING);
      case COMPLETED, FAILED, AMBIGUOUS -> Optional.empty();
    };
  }

  private boolean taskSucceeded(String taskId) {
    return taskId != null
        && simulator.task(taskId).map(t -> "SUCCEEDED".equals(t.phase())).orElse(false);
  }

  private Set<Integer> ownedPartitions(String instanceId) {
    Set<Integer> owned = new HashSet<>();
    try {
      String clientId = AssignmentWatch.clientIdOf(instanceId);
      assignments
          .current()
          .owners()
          .forEach(
              (tp, owner) -> {
                if (owner.equals(clientId)) {
                  owned.add(tp.partition());
                }
              });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // the broker may be restarting: this kill's stages stay unknown
    }
    return owned;
  }

  private int partitionOf(String jobId) {
    return Utils.toPositive(Utils.murmur2(jobId.getBytes(StandardCharsets.UTF_8))) % partitions;
  }
}
