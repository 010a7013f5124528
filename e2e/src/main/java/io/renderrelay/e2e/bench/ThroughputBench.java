package io.renderrelay.e2e.bench;

import io.renderrelay.devstack.DevStack;
import io.renderrelay.devstack.DevStackConfig;
import io.renderrelay.devstack.simulator.OutputSizes;
import io.renderrelay.devstack.simulator.SimulatorConfig;
import io.renderrelay.e2e.Commands;
import io.renderrelay.e2e.EventCollector;
import io.renderrelay.e2e.WorkerSettings;
import io.renderrelay.worker.config.WorkerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Jobs per second end to end (command published to RenderCompleted read) with instant renders and
 * 64 KiB outputs, against Kafka's own transactional producer on the same broker.
 */
public final class ThroughputBench implements Benchmark {

  static final long OUTPUT_BYTES = 64 * 1024;
  static final String TIERS = "render.poll.100ms:100ms:10,render.poll.1s:1s:0";
  static final int MAX_IN_FLIGHT_PER_PARTITION = 512;
  static final Duration COMMIT_INTERVAL = BenchContext.COMMIT_INTERVAL;

  /** Counted rounds of each side, after an uncounted one (odd: the median is one round's). */
  static final int ROUNDS = 3;

  /** The bare relay's own command topics (the worker, idle meanwhile, never sees its jobs). */
  static final List<String> BARE_TOPICS =
      List.of("bench.bare.commands.restyle", "bench.bare.commands.act-one");

  /** Jobs the bare relay runs at once: the worker's in-flight window over its 4 partitions. */
  static final int BARE_MAX_IN_FLIGHT = 4 * MAX_IN_FLIGHT_PER_PARTITION;

  @Override
  public String name() {
    return "throughput";
  }

  @Override
  public List<BenchResult> run(BenchContext ctx) throws Exception {
    // 2,000 a side in quick mode: with one run of 800 (about 6 s a side) the same code measured
    // 0.60 to 0.92; rounds interleave the two sides and the median round is the figure
    int jobs = ctx.pick(2_000, 10_000);
    int rounds = ROUNDS;
    // Warm-ups long enough for the JIT: with 100 jobs, render-relay's measured run (the first)
    // still compiled the code both sides share (S3 SDK, S3Proxy, broker, simulator): 65
    // compilations of 100 ms or more, 19 s of compiler time, against the bare relay's 21 and 6.5 s.
    int warmup = ctx.pick(400, 2_000);
    long refRecords = ctx.pick(50_000L, 300_000L);
    SimulatorConfig sim =
        SimulatorConfig.defaults()
            .withRenderTimeOverride(Duration.ZERO)
            .withTaskNotExistWindow(Duration.ZERO)
            .withOutputSizes(new OutputSizes(OUTPUT_BYTES, OUTPUT_BYTES, OUTPUT_BYTES));
    try (DevStack stack = ctx.stack(DevStackConfig.defaults().withSimulator(sim))) {
      // The same I/O on both sides: the bare relay has no callback endpoint and polls every 100 ms,
      // so the simulator delivers no callback to either, and render-relay polls on its 100 ms tier
      // (the provider-calls bench measures what callbacks save).
      stack.simulator().control().faults().loseCallbacks(1.0);
      WorkerConfig config = fastSettings(stack, "bench-throughput").config();
      String bootstrap = stack.kafka().bootstrapServers();
      String registry = stack.registryUrl().orElseThrow();
      Map<String, Object> details = new LinkedHashMap<>();
      List<Round> results = new ArrayList<>();
      double recordsPerJob;
      try (TopicRecords topics = new TopicRecords(bootstrap);
          Commands commands = new Commands(bootstrap, registry);
          EventCollector events = new EventCollector(bootstrap, registry)) {
        createBareTopics(topics);
        try (Commands bareCommands =
                new Commands(bootstrap, registry, BARE_TOPICS.get(0), BARE_TOPICS.get(1));
            ThroughputSides sides =
                new ThroughputSides(ctx, config, registry, commands, bareCommands, events)) {
          sides.warmUp(warmup);
          // Round 0 is not counted: in a first try of rounds both sides kept speeding up through
          // the first two (render-relay 130, 242, 312 jobs/s; the bare relay 158, 194, 310), the
          // JIT and the stack (S3Proxy, broker, simulator) warming on the shared code.
          Round warmUpRound = new Round(sides.renderRelay(0, jobs), sides.bare(0, jobs));
          details.put("warmUpRound", warmUpRound.summary());
          Thread.sleep(2 * COMMIT_INTERVAL.toMillis() + 500);
          List<String> written = JobLoad.workerTopics(config);
          Map<TopicPartition, Long> before = topics.endOffsets(written);
          ThroughputSides.Measured first = sides.renderRelay(1, jobs);
          // render-relay's records per job: its first run, alone between the two snapshots
          Thread.sleep(2 * COMMIT_INTERVAL.toMillis() + 1000);
          Map<TopicPartition, Long> after = topics.endOffsets(written);
          Map<String, Long> records = topics.committedRecords(before, after, Duration.ofMinutes(2));
          long total = records.values().stream().mapToLong(Long::longValue).sum();
          recordsPerJob = (double) total / jobs;
          results.add(new Round(first, sides.bare(1, jobs)));
          details.put("recordsPerTopic", records);
          details.put("offsetsPerTopic", TopicRecords.offsetDelta(before, after));
          details.put("recordsPerJob", recordsPerJob);
          for (int r = 2; r <= rounds; r++) {
            // the order alternates: a drift meets the two sides of a round alike
            if (!renderRelayFirst(r)) {
              ThroughputSides.Measured bare = sides.bare(r, jobs);
              results.add(new Round(sides.renderRelay(r, jobs), bare));
            } else {
              results.add(new Round(sides.renderRelay(r, jobs), sides.bare(r, jobs)));
            }
          }
          details.put("duplicatedEvents", events.duplicated().size());
        }
        Round median =
            results.stream()
                .sorted(Comparator.comparingDouble(Round::ratio))
                .toList()
                .get(rounds / 2);
        details.put("rounds", results.stream().map(Round::summary).toList());
        details.put("seconds", BenchContext.seconds(median.renderRelay().took()));
        details.put("processCpuSeconds", median.renderRelay().cpuSeconds());
        details.put("profile", median.renderRelay().profile());
        details.put("completed", median.renderRelay().load().completed(events));
        details.put("failed", jobs - median.renderRelay().load().completed(events));
        details.put("phases", JobPhases.of(events, median.renderRelay().load().jobIds()));
        details.put("bareRelay", median.bare().summary());
        double cpuRatio = median(results.stream().mapToDouble(Round::cpuRatio).toArray());
        details.put("jobsPerCpuSecondRatio", cpuRatio);
        ctx.note("throughput: jobs per CPU-second, render-relay / bare relay: %.3f", cpuRatio);
        ReferenceProducer.Result ref = kafkaReference(ctx, topics, bootstrap, refRecords, details);
        double jobsPerSecond = median.renderRelay().jobsPerSecond();
        double bareJobsPerSecond = median.bare().jobsPerSecond();
        double ratio = median.ratio();
        double kafkaRatio = jobsPerSecond * recordsPerJob / ref.recordsPerSecond();
        plot(
            ctx,
            median.renderRelay().load(),
            bareJobsPerSecond,
            ref.recordsPerSecond() / recordsPerJob);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("jobs", jobs + " a side per round");
        params.put("rounds", rounds + " (" + order(rounds) + ")");
        params.put("warmupJobs", warmup + " a side, once");
        params.put("renderTime", "0 (taskNotExistWindow 0)");
        params.put("callbacks", "none delivered to either side (simulator loseCallbacks 1)");
        params.put("outputBytes", "video, poster, last frame: " + OUTPUT_BYTES + " each");
        params.put("pollTiers", TIERS + " (poll.learned.min-samples 0: tiers only)");
        params.put("maxInFlightPerPartition", MAX_IN_FLIGHT_PER_PARTITION);
        params.put("commitInterval", COMMIT_INTERVAL.toString());
        params.put("partitions", 4);
        params.put("bareRelayMaxInFlight", BARE_MAX_IN_FLIGHT);
        params.put(
            "ratioDefinition",
            "median over rounds of render-relay jobs/s / bare relay jobs/s of the same round"
                + " (both running, the other side idle)");
        Map<String, Object> kafkaParams = new LinkedHashMap<>();
        kafkaParams.put("referenceRecords", refRecords);
        kafkaParams.put("referenceWarmupRecords", refRecords / 5);
        kafkaParams.put(
            "referenceCommand",
            "ProducerPerformance --record-size 1024 --throughput -1 --transaction-duration-ms "
                + COMMIT_INTERVAL.toMillis()
                + " acks=all");
        kafkaParams.put(
            "ratioDefinition", "jobs/s x records written per job / reference records/s");
        return List.of(
            new BenchResult(
                name(),
                jobsPerSecond,
                "jobs/s",
                new BenchResult.Reference(
                    "bare relay (same I/O, no ledger, transactions or checks)",
                    bareJobsPerSecond,
                    "jobs/s"),
                ratio,
                "ratio >= 0.7",
                ratio >= 0.7,
                params,
                details),
            new BenchResult(
                "throughput-kafka",
                jobsPerSecond,
                "jobs/s",
                new BenchResult.Reference(
                    "kafka ProducerPerformance (transactional, 1 KiB)",
                    ref.recordsPerSecond(),
                    "records/s"),
                kafkaRatio,
                "report only",
                null,
                kafkaParams,
                Map.of("recordsPerJob", recordsPerJob, "reference", ref.summary())));
      }
    }
  }

  /** Whether render-relay runs first in counted round {@code round} (from 1): in odd rounds. */
  static boolean renderRelayFirst(int round) {
    return round % 2 == 1;
  }

  /** Which side runs first in each of {@code rounds} counted rounds, as the results say it. */
  static String order(int rounds) {
    List<Integer> first = new ArrayList<>();
    List<Integer> second = new ArrayList<>();
    for (int r = 1; r <= rounds; r++) {
      (renderRelayFirst(r) ? first : second).add(r);
    }
    return "render-relay first in rounds "
        + first
        + ", the bare relay first in rounds "
        + second
        + "; round 0, uncounted: render-relay first";
  }

  /** One round: each side's measured run. */
  record Round(ThroughputSides.Measured renderRelay, ThroughputSides.Measured bare) {
    double ratio() {
      return renderRelay.jobsPerSecond() / bare.jobsPerSecond();
    }

    /** render-relay's jobs per CPU-second over the bare relay's. */
    double cpuRatio() {
      return bare.cpuSeconds() / renderRelay.cpuSeconds();
    }

    Map<String, Object> summary() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("renderRelayJobsPerSecond", renderRelay.jobsPerSecond());
      m.put("bareRelayJobsPerSecond", bare.jobsPerSecond());
      m.put("ratio", ratio());
      m.put("jobsPerCpuSecondRatio", cpuRatio());
      return m;
    }
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  /** The bare relay's command topics, as many partitions as the worker's. */
  private static void createBareTopics(TopicRecords topics) throws Exception {
    List<org.apache.kafka.clients.admin.NewTopic> created =
        BARE_TOPICS.stream()
            .map(t -> new org.apache.kafka.clients.admin.NewTopic(t, 4, (short) 1))
            .toList();
    TopicRecords.get(topics.admin().createTopics(created).all());
  }

  /**
   * Kafka's own producer on the same broker, after a warm-up run (own topic, result dropped): the
   * reference swung from 78k to 10k records/s between runs when it met a cold broker and JIT.
   */
  private static ReferenceProducer.Result kafkaReference(
      BenchContext ctx,
      TopicRecords topics,
      String bootstrap,
      long refRecords,
      Map<String, Object> details)
      throws Exception {
    ctx.note("throughput: reference warm-up, %d x 1 KiB records", refRecords / 5);
    ReferenceProducer.Result warm =
        ReferenceProducer.run(
            topics.admin(),
            bootstrap,
            "bench.reference-warmup",
            4,
            refRecords / 5,
            COMMIT_INTERVAL,
            ctx.file("logs/producer-performance-warmup.log"));
    details.put("referenceWarmup", warm.summary());
    ctx.note(
        "throughput: reference ProducerPerformance, %d x 1 KiB records, transactional", refRecords);
    ReferenceProducer.Result ref =
        ReferenceProducer.run(
            topics.admin(),
            bootstrap,
            "bench.reference",
            4,
            refRecords,
            COMMIT_INTERVAL,
            ctx.file("logs/producer-performance.log"));
    details.put("reference", ref.summary());
    return ref;
  }

  /**
   * Worker settings for the throughput run: fast tiers, high limits, larger in-flight window. The
   * learned poll plan is off: renders are instant here, so what it would learn is the worker's own
   * queueing under the burst (which pushed first polls to seconds and made every job wait for its
   * callback); the provider-calls bench measures the plan.
   */
  static WorkerSettings fastSettings(DevStack stack, String instance) {
    return BenchContext.workerSettings(stack, instance, TIERS)
        .with("kafka.max-in-flight-per-partition", Integer.toString(MAX_IN_FLIGHT_PER_PARTITION))
        .with("provider.submits-per-second", "100000")
        .with("provider.polls-per-second", "100000")
        .with("http.callbacks-per-second", "100000")
        .with("poll.learned.min-samples", "0");
  }

  private static void plot(
      BenchContext ctx, JobLoad load, double bareJobsPerSecond, double kafkaJobsPerSecond)
      throws Exception {
    List<JobLoad.Sample> s = load.samples();
    List<Double> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    int step = Math.max(1, s.size() / 60);
    for (int i = step; i < s.size(); i += step) {
      JobLoad.Sample a = s.get(i - step);
      JobLoad.Sample b = s.get(i);
      xs.add(b.seconds());
      ys.add((b.terminal() - a.terminal()) / (b.seconds() - a.seconds()));
    }
    double end = s.isEmpty() ? 1 : s.get(s.size() - 1).seconds();
    Plots.lines(
        ctx.file("throughput.png"),
        "Throughput: jobs completed per second ("
            + load.jobIds().size()
            + " jobs; Kafka ceiling "
            + BenchResult.format(kafkaJobsPerSecond)
            + " jobs/s)",
        "seconds since first command",
        "jobs/s",
        List.of(
            new Plots.Series("render-relay jobs/s", Plots.BLUE, toArray(xs), toArray(ys)),
            new Plots.Series(
                "bare relay (reference)",
                Plots.GREY,
                new double[] {0, end},
                new double[] {bareJobsPerSecond, bareJobsPerSecond}),
            new Plots.Series(
                "target: 0.7 x bare relay",
                Plots.GREEN,
                new double[] {0, end},
                new double[] {0.7 * bareJobsPerSecond, 0.7 * bareJobsPerSecond})));
  }

  static double[] toArray(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
