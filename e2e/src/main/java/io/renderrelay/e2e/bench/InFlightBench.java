package io.renderrelay.e2e.bench;

import io.renderrelay.devstack.DevStack;
import io.renderrelay.devstack.DevStackConfig;
import io.renderrelay.devstack.simulator.SimulatorConfig;
import io.renderrelay.e2e.Commands;
import io.renderrelay.e2e.WorkerProcess;
import io.renderrelay.e2e.WorkerSettings;
import io.renderrelay.worker.config.WorkerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Heap of a worker (own JVM, heap capped) after a full GC as its in-flight jobs grow tenfold:
 * in-flight state is poll tickets in Kafka and the ledger on disk, not the heap.
 */
public final class InFlightBench implements Benchmark {

  static final String HEAP = "256m";
  static final String TIERS = "render.poll.10m:10m:0";

  /** Heap after GC with this many jobs in flight. */
  record Point(long inFlight, long heapBytes, long pollTicketLag, double secondsSinceStart) {}

  @Override
  public String name() {
    return "in-flight";
  }

  @Override
  public List<BenchResult> run(BenchContext ctx) throws Exception {
    int total = ctx.pick(20_000, 100_000);
    int[] stages = {total / 10, total / 4, total / 2, total};
    SimulatorConfig sim =
        SimulatorConfig.defaults().withRenderTimeOverride(Duration.ofHours(4)).withTaskNotExistWindow(Duration.ZERO);
    try (DevStack stack = ctx.stack(DevStackConfig.defaults().withSimulator(sim))) {
      WorkerSettings settings =
          new WorkerSettings(stack, "bench-inflight")
              .with("poll.tiers", TIERS)
              .with("kafka.commit-interval", "100ms")
              .with("kafka.max-in-flight-per-partition", "512")
              .with("provider.submits-per-second", "100000")
              .with("provider.polls-per-second", "100000")
              .with("provider.max-tasks-in-flight", "100000")
              .with("jobs.default-deadline", "6h");
      WorkerConfig config = settings.config();
      String bootstrap = stack.kafka().bootstrapServers();
      List<Point> points = new ArrayList<>();
      Map<String, Object> details = new LinkedHashMap<>();
      long t0 = System.nanoTime();
      try (TopicRecords topics = new TopicRecords(bootstrap);
          Commands commands = new Commands(bootstrap, stack.registryUrl().orElseThrow());
          WorkerProcess worker = WorkerProcess.start(settings.asEnvironment(), ctx.file("logs/in-flight-worker.log"), HEAP)) {
        worker.awaitReady(Duration.ofMinutes(2));
        int published = 0;
        java.util.Set<String> memberIds = new java.util.LinkedHashSet<>();
        java.util.Set<String> states = new java.util.LinkedHashSet<>();
        for (int stage : stages) {
          JobLoad.of("inflight-" + stage, stage - published).publish(commands);
          published = stage;
          ctx.note("in-flight: %d jobs published, waiting until all are submitted", published);
          awaitSubmitted(stack, config, topics, published, ctx.pick(Duration.ofMinutes(3), Duration.ofMinutes(12)));
          long heap = Jcmd.heapAfterGc(worker.pid());
          long lag = lag(topics, config, config.kafka().pollTiers().get(0).topic());
          points.add(new Point(published, heap, lag, (System.nanoTime() - t0) / 1e9));
          ctx.note("in-flight: %d in flight, heap after GC %d KiB, ticket lag %d", published, heap / 1024, lag);
          ConsumerGroupDescription group = group(topics, config);
          group.members().forEach(m -> memberIds.add(m.consumerId()));
          states.add(String.valueOf(group.groupState()));
        }
        // Classic group protocol: a rebalance that moved the partitions would show as a new member
        // id (the worker rejoined) or a group state other than STABLE at a stage.
        int rebalances = memberIds.size() - 1 + (states.equals(java.util.Set.of("STABLE")) ? 0 : 1);
        details.put("rebalances", rebalances);
        details.put("groupMemberIds", memberIds.size());
        details.put("groupStatesSeen", states);
        details.put("workerAlive", worker.alive());
      }
      Point small = points.get(0);
      Point large = points.get(points.size() - 1);
      double ratio = (double) large.heapBytes() / small.heapBytes();
      details.put("points", points);
      Plots.lines(
          ctx.file("in-flight.png"),
          "Worker heap after full GC vs jobs in flight (-Xmx" + HEAP + ")",
          "jobs in flight",
          "heap after GC (MiB)",
          List.of(
              new Plots.Series(
                  "heap after GC",
                  Plots.BLUE,
                  points.stream().mapToDouble(Point::inFlight).toArray(),
                  points.stream().mapToDouble(p -> p.heapBytes() / 1048576.0).toArray())));
      Map<String, Object> params = new LinkedHashMap<>();
      params.put("jobs", total);
      params.put("stages", List.of(stages[0], stages[1], stages[2], stages[3]));
      params.put("workerHeap", "-Xmx" + HEAP + " -XX:+UseSerialGC (WorkerProcess)");
      params.put("renderTime", "4 h (no job ends during the run)");
      params.put("pollTiers", TIERS + " (tickets parked in Kafka, no poll falls due during the run)");
      params.put("measured", "jcmd GC.run, then GC.heap_info used (young + old) once every job of a stage is submitted");
      params.put("ratioDefinition", "heap after GC at " + total + " in flight / at " + stages[0]);
      return List.of(
          BenchResult.of(
              name(),
              large.heapBytes() / 1048576.0,
              "MiB heap after GC at " + total + " in flight",
              new BenchResult.Reference("heap after GC at " + stages[0] + " in flight", small.heapBytes() / 1048576.0, "MiB"),
              ratio,
              "ratio <= 1.5, no rebalance",
              ratio <= 1.5 && ((Number) details.get("rebalances")).intValue() == 0,
              params,
              details));
    }
  }

  /** Waits until the simulator has every job's task and the command topics are fully committed. */
  private static void awaitSubmitted(DevStack stack, WorkerConfig config, TopicRecords topics, int jobs, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    WorkerConfig.Topics t = config.kafka().topics();
    while (true) {
      long submitted = stack.simulator().control().submits();
      if (submitted >= jobs && lag(topics, config, t.restyleCommands()) + lag(topics, config, t.actOneCommands()) == 0) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("only " + submitted + " of " + jobs + " jobs submitted within " + timeout);
      }
      Thread.sleep(500);
    }
  }

  /** Records of {@code topic} not yet committed by the worker's group. */
  private static long lag(TopicRecords topics, WorkerConfig config, String topic) throws Exception {
    Map<TopicPartition, Long> ends = topics.endOffsets(List.of(topic));
    Map<TopicPartition, OffsetAndMetadata> committed =
        topics.admin().listConsumerGroupOffsets(config.kafka().groupId()).partitionsToOffsetAndMetadata().get();
    long lag = 0;
    for (var e : ends.entrySet()) {
      OffsetAndMetadata c = committed.get(e.getKey());
      lag += e.getValue() - (c == null ? 0 : c.offset());
    }
    return lag;
  }

  private static ConsumerGroupDescription group(TopicRecords topics, WorkerConfig config) throws Exception {
    String id = config.kafka().groupId();
    return topics.admin().describeConsumerGroups(List.of(id)).describedGroups().get(id).get();
  }
}
