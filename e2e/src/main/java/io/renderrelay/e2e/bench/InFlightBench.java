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

/**
 * Heap of a worker (own JVM, heap capped) after a full GC as its in-flight jobs grow tenfold:
 * in-flight state is poll tickets in Kafka and the ledger on disk, not the heap.
 */
public final class InFlightBench implements Benchmark {

  static final String HEAP = "256m";
  static final String TIERS = "render.poll.10m:10m:0";
  static final int SUBMITS_PER_SECOND = 1000;

  /** Heap after GC with this many jobs in flight. */
  record Point(
      long published,
      long inFlight,
      long heapBytes,
      long pollTicketLag,
      double secondsSinceStart) {}

  @Override
  public String name() {
    return "in-flight";
  }

  @Override
  public List<BenchResult> run(BenchContext ctx) throws Exception {
    int total = ctx.pick(20_000, 100_000);
    int[] stages = {total / 10, total / 4, total / 2, total};
    SimulatorConfig sim =
        SimulatorConfig.defaults()
            .withRenderTimeOverride(Duration.ofHours(4))
            .withTaskNotExistWindow(Duration.ZERO);
    try (DevStack stack = ctx.stack(DevStackConfig.defaults().withSimulator(sim))) {
      WorkerSettings settings =
          BenchContext.workerSettings(stack, "bench-inflight", TIERS)
              .with("provider.submits-per-second", Integer.toString(SUBMITS_PER_SECOND))
              .with("provider.polls-per-second", "1000")
              .with("jobs.default-deadline", "6h");
      WorkerConfig config = settings.config();
      String bootstrap = stack.kafka().bootstrapServers();
      List<Point> points = new ArrayList<>();
      Map<String, Object> details = new LinkedHashMap<>();
      long t0 = System.nanoTime();
      try (TopicRecords topics = new TopicRecords(bootstrap);
          Commands commands = new Commands(bootstrap, stack.registryUrl().orElseThrow());
          WorkerProcess worker =
              WorkerProcess.start(
                  settings.asEnvironment(), ctx.file("logs/in-flight-worker.log"), HEAP)) {
        worker.awaitReady(Duration.ofMinutes(2));
        int published = 0;
        java.util.Set<String> memberIds = new java.util.LinkedHashSet<>();
        java.util.Set<String> states = new java.util.LinkedHashSet<>();
        for (int stage : stages) {
          JobLoad.of("inflight-" + stage, stage - published).publish(commands);
          published = stage;
          ctx.note("in-flight: %d jobs published, waiting until all are submitted", published);
          long inFlight =
              Intake.awaitAllTakenIn(
                  stack, topics, config, ctx.pick(Duration.ofMinutes(3), Duration.ofMinutes(12)));
          long heap =
              Jcmd.heapAfterGc(
                  worker.pid(), ctx.file("logs/in-flight-histogram-" + stage + ".txt"));
          long lag = Intake.lag(topics, config, config.kafka().pollTiers().get(0).topic());
          points.add(new Point(published, inFlight, heap, lag, (System.nanoTime() - t0) / 1e9));
          ctx.note(
              "in-flight: %d published, %d in flight, heap after GC %d KiB, ticket lag %d",
              published, inFlight, heap / 1024, lag);
          ConsumerGroupDescription group = group(topics, config);
          group.members().forEach(m -> memberIds.add(m.consumerId()));
          states.add(String.valueOf(group.groupState()));
        }
        // A rejoin shows as a new member id, a rebalance in progress as a group state other than
        // STABLE at a stage (true of the classic and the consumer group protocol alike).
        boolean stable = states.stream().allMatch(st -> st.equalsIgnoreCase("stable"));
        int rebalances = memberIds.size() - 1 + (stable ? 0 : 1);
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
      params.put("inFlightFirstLast", List.of(small.inFlight(), large.inFlight()));
      params.put("stages", List.of(stages[0], stages[1], stages[2], stages[3]));
      params.put("workerHeap", "-Xmx" + HEAP + " -XX:+UseSerialGC (WorkerProcess)");
      params.put("renderTime", "4 h (no job ends during the run)");
      params.put("submitsPerSecond", SUBMITS_PER_SECOND);
      params.put(
          "pollTiers", TIERS + " (tickets parked in Kafka, no poll falls due during the run)");
      params.put(
          "measured",
          "jcmd GC.class_histogram (a full GC, then the live objects' bytes; kept in"
              + " logs/in-flight-histogram-<stage>.txt) once every job of a stage is submitted");
      params.put(
          "ratioDefinition",
          "heap after GC at the last stage / at the first (jobs in flight = tasks at the"
              + " simulator)");
      return List.of(
          new BenchResult(
              name(),
              large.heapBytes() / 1048576.0,
              "MiB",
              new BenchResult.Reference(
                  "heap after GC at " + small.inFlight() + " in flight",
                  small.heapBytes() / 1048576.0,
                  "MiB"),
              ratio,
              "ratio <= 1.5, no rebalance",
              ratio <= 1.5 && ((Number) details.get("rebalances")).intValue() == 0,
              params,
              details));
    }
  }

  private static ConsumerGroupDescription group(TopicRecords topics, WorkerConfig config)
      throws Exception {
    String id = config.kafka().groupId();
    return topics.admin().describeConsumerGroups(List.of(id)).describedGroups().get(id).get();
  }
}
