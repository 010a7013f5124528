package io.renderrelay.e2e.bench;

import io.renderrelay.devstack.DevStack;
import io.renderrelay.devstack.DevStackConfig;
import io.renderrelay.devstack.simulator.OutputSizes;
import io.renderrelay.devstack.simulator.SimulatorConfig;
import io.renderrelay.e2e.Commands;
import io.renderrelay.e2e.EventCollector;
import io.renderrelay.e2e.WorkerSettings;
import io.renderrelay.worker.app.RenderRelayWorker;
import io.renderrelay.worker.config.WorkerConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
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

  /** Jobs the bare relay runs at once: the worker's in-flight window over its 4 partitions. */
  static final int BARE_MAX_IN_FLIGHT = 4 * MAX_IN_FLIGHT_PER_PARTITION;

  @Override
  public String name() {
    return "throughput";
  }

  @Override
  public List<BenchResult> run(BenchContext ctx) throws Exception {
    // 2,000 in quick mode: with 800 (about 6 s a side) the same code measured 0.60 to 0.92
    int jobs = ctx.pick(2_000, 20_000);
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
      double jobsPerSecond;
      double recordsPerJob;
      Map<String, Object> bare;
      JobLoad load;
      try (TopicRecords topics = new TopicRecords(bootstrap);
          Commands commands = new Commands(bootstrap, registry);
          EventCollector events = new EventCollector(bootstrap, registry)) {
        RenderRelayWorker worker = RenderRelayWorker.start(config, Clock.systemUTC());
        try {
          ctx.note("throughput: warm-up with %d jobs", warmup);
          JobLoad.of("warm", warmup)
              .publish(commands)
              .awaitAll(events, Duration.ofMinutes(3), Duration.ofMillis(200));
          Thread.sleep(2 * COMMIT_INTERVAL.toMillis() + 500);
          List<String> written = JobLoad.workerTopics(config);
          Map<TopicPartition, Long> before = topics.endOffsets(written);
          ctx.note("throughput: %d jobs", jobs);
          Measured run = measure(ctx, commands, events, "tp", jobs, "throughput.jfr");
          load = run.load();
          Duration took = run.took();
          details.put("profile", run.profile());
          long done = events.terminalCount(load.jobIds());
          if (done < jobs) {
            throw new IllegalStateException(
                "only " + done + " of " + jobs + " jobs ended within the timeout");
          }
          jobsPerSecond = jobs / BenchContext.seconds(took);
          details.put("seconds", BenchContext.seconds(took));
          details.put("processCpuSeconds", run.cpuSeconds());
          details.put("completed", load.completed(events));
          details.put("failed", jobs - load.completed(events));
          details.put("duplicatedEvents", events.duplicated().size());
          details.put("phases", JobPhases.of(events, load.jobIds()));
          Thread.sleep(2 * COMMIT_INTERVAL.toMillis() + 1000);
          Map<TopicPartition, Long> after = topics.endOffsets(written);
          Map<String, Long> records = topics.committedRecords(before, after, Duration.ofMinutes(2));
          long total = records.values().stream().mapToLong(Long::longValue).sum();
          recordsPerJob = (double) total / jobs;
          details.put("recordsPerTopic", records);
          details.put("offsetsPerTopic", TopicRecords.offsetDelta(before, after));
          details.put("recordsPerJob", recordsPerJob);
        } finally {
          worker.close();
        }
        bare = measureBareRelay(ctx, config, registry, commands, events, jobs, warmup);
        details.put("bareRelay", bare);
        // A warm-up run first (own topic, result dropped): the reference swung from 78k to 10k
        // records/s between runs when it met a cold broker and JIT.
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
            "throughput: reference ProducerPerformance, %d x 1 KiB records, transactional",
            refRecords);
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
        double bareJobsPerSecond = (double) bare.get("jobsPerSecond");
        double ratio = jobsPerSecond / bareJobsPerSecond;
        // The cores are shared with whatever else runs: each side's share of them moves between
        // the two windows. Jobs per CPU-second of this JVM (worker, S3 store, broker, simulator,
        // load generators) compares what a job costs regardless of that share.
        double cpuRatio =
            ((double) details.get("processCpuSeconds")) / ((double) bare.get("processCpuSeconds"));
        details.put("jobsPerCpuSecondRatio", 1 / cpuRatio);
        ctx.note("throughput: jobs per CPU-second, render-relay / bare relay: %.3f", 1 / cpuRatio);
        double kafkaRatio = jobsPerSecond * recordsPerJob / ref.recordsPerSecond();
        plot(ctx, load, bareJobsPerSecond, ref.recordsPerSecond() / recordsPerJob);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("jobs", jobs);
        params.put("warmupJobs", warmup);
        params.put("renderTime", "0 (taskNotExistWindow 0)");
        params.put("callbacks", "none delivered to either side (simulator loseCallbacks 1)");
        params.put("outputBytes", "video, poster, last frame: " + OUTPUT_BYTES + " each");
        params.put("pollTiers", TIERS + " (poll.learned.min-samples 0: tiers only)");
        params.put("maxInFlightPerPartition", MAX_IN_FLIGHT_PER_PARTITION);
        params.put("commitInterval", COMMIT_INTERVAL.toString());
        params.put("partitions", 4);
        params.put("bareRelayMaxInFlight", BARE_MAX_IN_FLIGHT);
        params.put("ratioDefinition", "render-relay jobs/s / bare relay jobs/s (same run)");
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

  /** The bare relay over the same stack: a warm-up, then as many jobs as render-relay ran. */
  private static Map<String, Object> measureBareRelay(
      BenchContext ctx,
      WorkerConfig config,
      String registry,
      Commands commands,
      EventCollector events,
      int jobs,
      int warmup)
      throws Exception {
    try (BareRelay relay = new BareRelay(config, registry, "bare-", BARE_MAX_IN_FLIGHT)) {
      ctx.note("throughput: bare relay warm-up with %d jobs", warmup);
      JobLoad.of("bare-warm", warmup)
          .publish(commands)
          .awaitAll(events, Duration.ofMinutes(3), Duration.ofMillis(200));
      ctx.note("throughput: bare relay, %d jobs", jobs);
      Measured run = measure(ctx, commands, events, "bare-tp", jobs, "throughput-bare-relay.jfr");
      JobLoad load = run.load();
      Duration took = run.took();
      long done = events.terminalCount(load.jobIds());
      if (done < jobs || relay.failures() > 0) {
        throw new IllegalStateException(
            "bare relay: " + done + " of " + jobs + " jobs ended, " + relay.failures() + " failed");
      }
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("jobsPerSecond", jobs / BenchContext.seconds(took));
      result.put("seconds", BenchContext.seconds(took));
      result.put("processCpuSeconds", run.cpuSeconds());
      result.put("profile", run.profile());
      ctx.note("throughput: bare relay %.1f jobs/s", jobs / BenchContext.seconds(took));
      return result;
    }
  }

  /** One measured run: its jobs, how long they took, its profile and this JVM's CPU time. */
  private record Measured(
      JobLoad load, Duration took, Map<String, Object> profile, double cpuSeconds) {}

  /**
   * Publishes {@code jobs} commands and waits for their events, recorded with the same JFR settings
   * on either side (a profiler on one side only slowed that side alone; the two profiles also show
   * what a job costs on each).
   */
  private static Measured measure(
      BenchContext ctx,
      Commands commands,
      EventCollector events,
      String prefix,
      int jobs,
      String jfr)
      throws Exception {
    long cpuBefore = processCpuNanos();
    try (Profile recording = Profile.start(ctx.file(jfr))) {
      JobLoad load = JobLoad.of(prefix, jobs).publish(commands);
      Duration took =
          load.awaitAll(
              events,
              ctx.pick(Duration.ofMinutes(3), Duration.ofMinutes(15)),
              Duration.ofMillis(100));
      double cpuSeconds = (processCpuNanos() - cpuBefore) / 1e9; // before reading the recording
      return new Measured(load, took, recording.stopAndSummarise(12), cpuSeconds);
    }
  }

  /** CPU time of this JVM so far (every thread: the worker, the stack, the load generators). */
  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
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
