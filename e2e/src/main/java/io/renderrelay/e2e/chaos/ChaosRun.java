package io.renderrelay.e2e.chaos;

import io.renderrelay.devstack.DevStack;
import io.renderrelay.devstack.DevStackConfig;
import io.renderrelay.devstack.simulator.SimulatorConfig;
import io.renderrelay.e2e.Commands;
import io.renderrelay.e2e.EventCollector;
import io.renderrelay.e2e.WorkerSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chaos engine behind {@code scripts/chaos} and {@code ChaosIT}: starts the embedded stack and
 * the worker processes, publishes the plan's jobs while it carries out the plan's faults, lets the
 * run settle with every fault off, then has the {@link Checker} judge it.
 */
final class ChaosRun {

  private static final Logger LOG = LoggerFactory.getLogger(ChaosRun.class);
  private static final String GROUP_ID = "render-relay";
  private static final int PARTITIONS = 4;
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(15);
  private static final Duration QUIET_PERIOD = Duration.ofSeconds(3);

  private final ChaosSettings settings;
  private final Consumer<String> progress;
  private final List<String> published = new CopyOnWriteArrayList<>();
  private final Map<String, String> publishFailures = new ConcurrentHashMap<>();

  public ChaosRun(ChaosSettings settings, Consumer<String> progress) {
    this.settings = settings;
    this.progress = progress;
  }

  /** Runs the whole plan and returns the judged outcome. */
  public ChaosReport run() throws Exception {
    ChaosPlan plan = ChaosPlan.of(settings);
    progress.accept(
        "chaos: seed="
            + settings.seed()
            + " window="
            + settings.window().toSeconds()
            + "s workers="
            + settings.workers()
            + " plan: "
            + plan.summary());
    Path logs = Files.createDirectories(settings.workDir().resolve("logs"));
    try (DevStack stack = DevStack.start(stackConfig(settings.seed(), settings.timeScale()));
        WorkerFleet fleet = new WorkerFleet(workerSettings(stack), logs, settings.workerHeap())) {
      progress.accept(
          "chaos: stack up (" + stack.startTimesSummary() + "), worker logs in " + logs);
      fleet.startAll();
      String bootstrap = stack.kafka().bootstrapServers();
      String registry = stack.registryUrl().orElseThrow();
      try (Commands commands = new Commands(bootstrap, registry);
          EventCollector events = new EventCollector(bootstrap, registry);
          LedgerWatch ledger = new LedgerWatch(bootstrap);
          Admin admin =
              Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
          ObjectStore objects = new ObjectStore(stack.s3(), stack.bucket())) {
        StageProbe probe =
            new StageProbe(
                admin,
                GROUP_ID,
                PARTITIONS,
                ledger,
                stack.simulator().control(),
                () -> published,
                j -> !events.eventsOf(j).isEmpty());
        Killer killer = new Killer(fleet, probe);
        FaultDriver faults = new FaultDriver(stack);
        execute(plan, commands, events, killer, faults, fleet);
        settle(events, fleet, faults);
        ChaosReport report =
            new Checker(bootstrap, registry, stack.simulator().control(), objects)
                .check(
                    List.of(Scenario.KILL.label()),
                    List.copyOf(published),
                    Map.of(),
                    Duration.ZERO,
                    killer.kills(),
                    faults.done());
        return withRunNotes(report, plan, killer, fleet);
      }
    }
  }

  /** The embedded stack of a chaos run: seeded simulator, scaled render times. */
  static DevStackConfig stackConfig(long seed, double timeScale) {
    return DevStackConfig.defaults()
        .withTimeScale(timeScale)
        .withSimulator(
            SimulatorConfig.defaults()
                .withSeed(seed)
                .withTaskNotExistWindow(Duration.ofMillis(500)));
  }

  private List<WorkerSettings> workerSettings(DevStack stack) {
    List<WorkerSettings> out = new ArrayList<>();
    for (int i = 0; i < settings.workers(); i++) {
      out.add(
          new WorkerSettings(stack, "chaos-w" + (i + 1))
              .with("kafka.client.session.timeout.ms", "6000")
              .with("kafka.client.heartbeat.interval.ms", "1000")
              .with("shutdown.grace", "3s")
              .with("provider.request-timeout", "10s"));
    }
    return out;
  }

  private void execute(
      ChaosPlan plan,
      Commands commands,
      EventCollector events,
      Killer killer,
      FaultDriver faults,
      WorkerFleet fleet)
      throws Exception {
    long t0 = System.nanoTime();
    // the scheduler only starts each action on its own virtual thread: a burst sleeping through
    // its duration or a kill waiting for a ready victim never delays another action
    ScheduledExecutorService sched =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("chaos-clock").factory());
    List<CompletableFuture<Void>> actions = new ArrayList<>();
    try {
      for (ChaosPlan.Action a : plan.actions()) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        actions.add(done);
        sched.schedule(
            () ->
                Thread.ofVirtual()
                    .name("chaos-action")
                    .start(() -> act(a, killer, faults, t0, done)),
            a.at().toMillis(),
            TimeUnit.MILLISECONDS);
      }
      sched.scheduleAtFixedRate(
          () ->
              progress.accept(
                  String.format(
                      "chaos: t=%ds published=%d terminal=%d kills=%d ready_workers=%d",
                      Duration.ofNanos(System.nanoTime() - t0).toSeconds(),
                      published.size(),
                      events.terminalCount(published),
                      killer.kills().size(),
                      readyWorkers(fleet))),
          PROGRESS_EVERY.toMillis(),
          PROGRESS_EVERY.toMillis(),
          TimeUnit.MILLISECONDS);
      publish(plan, commands, t0);
      CompletableFuture.allOf(actions.toArray(CompletableFuture[]::new))
          .get(settings.window().toMillis() + 180_000, TimeUnit.MILLISECONDS);
      long left = settings.window().toNanos() - (System.nanoTime() - t0);
      if (left > 0) {
        Thread.sleep(Duration.ofNanos(left));
      }
    } finally {
      sched.shutdownNow();
      sched.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  private void act(
      ChaosPlan.Action a,
      Killer killer,
      FaultDriver faults,
      long t0,
      CompletableFuture<Void> done) {
    Duration since = Duration.ofNanos(System.nanoTime() - t0);
    try {
      if (a instanceof ChaosPlan.Kill k) {
        killer.kill(k, since);
      } else {
        faults.apply(a);
      }
      done.complete(null);
    } catch (Exception e) {
      LOG.error("chaos action {} failed", a, e);
      done.completeExceptionally(e);
    }
  }

  private void publish(ChaosPlan plan, Commands commands, long t0) throws InterruptedException {
    for (ChaosPlan.PlannedJob j : plan.jobs()) {
      long wait = j.at().toNanos() - (System.nanoTime() - t0);
      if (wait > 0) {
        Thread.sleep(Duration.ofNanos(wait));
      }
      Instant now = Instant.now();
      try {
        commands.send(
            j.actOne() ? Commands.actOne(j.jobId(), now) : Commands.restyle(j.jobId(), now));
        published.add(j.jobId());
      } catch (RuntimeException e) {
        // not retried: a retry after an unknown outcome could publish the command twice
        publishFailures.put(j.jobId(), String.valueOf(e.getMessage()));
        LOG.warn("publishing {} failed: {}", j.jobId(), e.toString());
      }
    }
  }

  private void settle(EventCollector events, WorkerFleet fleet, FaultDriver faults)
      throws Exception {
    faults.clearAll();
    fleet.awaitAllReady(Duration.ofMinutes(2));
    progress.accept(
        "chaos: fault window over, every fault off, "
            + fleet.size()
            + " workers ready; waiting up to "
            + settings.settleTimeout().toSeconds()
            + "s for every job to end");
    long t0 = System.nanoTime();
    long n = events.awaitTerminal(published, settings.settleTimeout());
    progress.accept(
        "chaos: "
            + n
            + "/"
            + published.size()
            + " jobs ended "
            + Duration.ofNanos(System.nanoTime() - t0).toSeconds()
            + "s after the window");
    Thread.sleep(QUIET_PERIOD);
  }

  private ChaosReport withRunNotes(
      ChaosReport r, ChaosPlan plan, Killer killer, WorkerFleet fleet) {
    Map<String, Long> details = new TreeMap<>();
    details.put("publish_failures", (long) publishFailures.size());
    long planned = plan.actions().stream().filter(a -> a instanceof ChaosPlan.Kill).count();
    details.put("kills_planned", planned);
    details.put("kills_skipped", (long) killer.skipped().size());
    details.put("worker_starts", (long) fleet.starts());
    List<String> violations = new ArrayList<>();
    if (killer.kills().size() < planned * 0.8) {
      violations.add(
          "only " + killer.kills().size() + " of " + planned + " planned kills happened");
    }
    return r.withRunNotes(r.scenarios(), details, violations);
  }

  private static int readyWorkers(WorkerFleet fleet) {
    int n = 0;
    for (int i = 0; i < fleet.size(); i++) {
      n += fleet.isReady(i) ? 1 : 0;
    }
    return n;
  }
}
