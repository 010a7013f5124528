package io.renderrelay.e2e.chaos;

import io.renderrelay.devstack.DevStack;
import io.renderrelay.e2e.Commands;
import io.renderrelay.e2e.EventCollector;
import io.renderrelay.e2e.WorkerSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * The engine behind {@code scripts/chaos --scenario deploy,scale,stall,skew}: one embedded stack,
 * then each scenario in turn with its own worker fleet (one consumer group throughout), its own
 * jobs and its own steps ({@link ScenarioSteps}); at the end the {@link Checker} judges every job.
 * No worker is ever SIGKILLed and the provider never misbehaves, so every AMBIGUOUS job is a
 * violation.
 */
final class ScenarioRun {

  static final String GROUP_ID = "render-relay";
  private static final Duration QUIET_PERIOD = Duration.ofSeconds(3);

  private final ScenarioSettings settings;
  private final Consumer<String> progress;
  private final List<String> published = new CopyOnWriteArrayList<>();
  private final Map<String, Instant> deadlines = new ConcurrentHashMap<>();
  private final Map<String, Long> details = new TreeMap<>();
  private final List<String> violations = new CopyOnWriteArrayList<>();
  private final Random rnd;
  private final Map<Scenario, Integer> numbered = new ConcurrentHashMap<>();
  private DevStack stack;
  private Commands commands;
  private EventCollector events;
  private AssignmentWatch assignments;
  private Path logs;

  public ScenarioRun(ScenarioSettings settings, Consumer<String> progress) {
    this.settings = settings;
    this.progress = progress;
    this.rnd = new Random(settings.seed());
  }

  /** Runs every scenario and returns the judged outcome. */
  public ChaosReport run() throws Exception {
    logs = Files.createDirectories(settings.workDir().resolve("logs"));
    try (DevStack s = DevStack.start(ChaosRun.stackConfig(settings.seed(), settings.timeScale()))) {
      stack = s;
      String bootstrap = s.kafka().bootstrapServers();
      String registry = s.registryUrl().orElseThrow();
      progress.accept("chaos: stack up (" + s.startTimesSummary() + "), worker logs in " + logs);
      try (Commands c = new Commands(bootstrap, registry);
          EventCollector e = new EventCollector(bootstrap, registry);
          Admin admin =
              Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
          ObjectStore objects = new ObjectStore(s.s3(), s.bucket())) {
        commands = c;
        events = e;
        assignments = new AssignmentWatch(admin, GROUP_ID);
        ScenarioSteps steps = new ScenarioSteps(this);
        for (Scenario scenario : settings.scenarios()) {
          long t0 = System.nanoTime();
          progress.accept("chaos: scenario " + scenario.label() + " starts");
          steps.run(scenario);
          note(scenario.label() + "_seconds", Duration.ofNanos(System.nanoTime() - t0).toSeconds());
        }
        return check(objects);
      }
    }
  }

  private ChaosReport check(ObjectStore objects) throws InterruptedException {
    Thread.sleep(QUIET_PERIOD);
    List<String> labels = settings.scenarios().stream().map(Scenario::label).toList();
    ChaosReport r =
        new Checker(
                stack.kafka().bootstrapServers(),
                stack.registryUrl().orElseThrow(),
                stack.simulator().control(),
                objects)
            .check(
                labels,
                List.copyOf(published),
                Map.copyOf(deadlines),
                settings.grace(),
                List.of(),
                List.of());
    if (r.ambiguous() > 0) {
      violations.add(
          r.ambiguous()
              + " AMBIGUOUS jobs ("
              + r.unpaidAmbiguous()
              + " never reached the provider) although no worker was SIGKILLed and every"
              + " provider answer arrived");
    }
    return r.withRunNotes(labels, details, violations);
  }

  ScenarioSettings settings() {
    return settings;
  }

  /** Worker settings for this stack: short session timeout, as in the kill run. */
  WorkerSettings workerSettings(String instanceId) {
    return new WorkerSettings(stack, instanceId)
        .with("kafka.client.session.timeout.ms", "6000")
        .with("kafka.client.heartbeat.interval.ms", "1000")
        .with("provider.request-timeout", "10s")
        .with("jobs.default-deadline", settings.deadline().toSeconds() + "s");
  }

  /** A fleet of the given workers (not started), logging into this run's log directory. */
  WorkerFleet fleet(List<WorkerSettings> workers) {
    return new WorkerFleet(workers, logs, settings.workerHeap());
  }

  Path logs() {
    return logs;
  }

  String bootstrapServers() {
    return stack.kafka().bootstrapServers();
  }

  AssignmentWatch assignments() {
    return assignments;
  }

  /**
   * Publishes {@code n} jobs of {@code scenario} at once (a backlog), or spread over {@code over}
   * when it is positive; returns their ids.
   */
  List<String> publish(Scenario scenario, int n, Duration over) throws Exception {
    HexFormat hex = HexFormat.of();
    List<String> ids = new ArrayList<>(n);
    List<Future<RecordMetadata>> sends = new ArrayList<>(n);
    int first = numbered.merge(scenario, n, Integer::sum) - n;
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      if (over.isPositive()) {
        long wait = over.toNanos() * i / n - (System.nanoTime() - t0);
        if (wait > 0) {
          Thread.sleep(Duration.ofNanos(wait));
        }
      }
      byte[] tag = new byte[6];
      rnd.nextBytes(tag);
      String id =
          String.format(
              "%s-%d-%05d-%s", scenario.label(), settings.seed(), first + i, hex.formatHex(tag));
      Instant now = Instant.now();
      sends.add(
          commands.sendAsync(
              rnd.nextBoolean() ? Commands.actOne(id, now) : Commands.restyle(id, now)));
      ids.add(id);
      deadlines.put(id, now.plus(settings.deadline()));
    }
    commands.flush();
    for (Future<RecordMetadata> f : sends) {
      f.get(60, TimeUnit.SECONDS);
    }
    published.addAll(ids);
    return ids;
  }

  /**
   * Waits until every job of {@code ids} has its terminal event, or the latest of their deadlines
   * plus grace has passed (a scenario's jobs are judged while its own workers run); returns how
   * many ended.
   */
  long awaitEnded(List<String> ids) throws InterruptedException {
    Instant until =
        ids.stream()
            .map(deadlines::get)
            .max(Instant::compareTo)
            .map(d -> d.plus(settings.grace()))
            .orElse(Instant.now());
    Duration timeout = Duration.between(Instant.now(), until);
    long t0 = System.nanoTime();
    long n =
        timeout.isNegative()
            ? events.terminalCount(ids)
            : events.awaitTerminal(ids, timeout.plusSeconds(1));
    progress.accept(
        String.format(
            "chaos: %d/%d jobs ended (waited %d s)",
            n, ids.size(), Duration.ofNanos(System.nanoTime() - t0).toSeconds()));
    return n;
  }

  /** Terminal events seen so far among {@code ids}. */
  long ended(List<String> ids) {
    return events.terminalCount(ids);
  }

  void progress(String line) {
    progress.accept(line);
  }

  void note(String key, long value) {
    synchronized (details) {
      details.merge(key, value, Long::sum);
    }
  }

  void violation(String v) {
    violations.add(v);
  }
}
