package io.renderrelay.e2e;

import io.renderrelay.client.RenderCommandPublisher;
import io.renderrelay.client.RenderEventListener;
import io.renderrelay.devstack.DevStack;
import io.renderrelay.devstack.DevStackConfig;
import io.renderrelay.devstack.simulator.AnswerFormat;
import io.renderrelay.devstack.simulator.SimulatorConfig;
import io.renderrelay.e2e.demo.DemoJobs;
import io.renderrelay.e2e.demo.DemoJobs.DemoJob;
import io.renderrelay.e2e.demo.DemoParticipants;
import io.renderrelay.e2e.demo.DemoRunner;
import io.renderrelay.e2e.demo.DemoSession;
import io.renderrelay.e2e.demo.DemoSummary;
import io.renderrelay.e2e.demo.DurationConverter;
import io.renderrelay.e2e.demo.JobTracker;
import io.renderrelay.e2e.demo.ProgressLine;
import io.renderrelay.e2e.demo.S3Sizes;
import io.renderrelay.worker.app.RenderRelayWorker;
import io.renderrelay.worker.config.Money;
import io.renderrelay.worker.config.WorkerConfig;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The demo behind {@code scripts/demo}: starts the embedded stack and a worker in this JVM,
 * publishes restyle and act-one jobs through the client's {@link RenderCommandPublisher}, follows
 * their terminal events with a {@link RenderEventListener} and a live progress line (stderr), then
 * prints a table of the jobs and {@code demo: <completed>/<submitted> jobs completed} (stdout).
 * Exits 1 when a job was not published, has no terminal event by the timeout, or its video is not
 * in S3; 0 otherwise (a job that failed with a {@code RenderFailed} is not lost).
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Runs render jobs end to end through the embedded stack (Kafka, schema registry, S3,"
            + " provider simulator) and an in-process worker.")
public final class DemoMain implements Callable<Integer> {

  /** The system property naming the directory of the worker log ({@code worker.log}). */
  public static final String LOG_DIR_PROPERTY = "demo.log.dir";

  private static final String LOGBACK_CONFIG = "demo-logback.xml";

  /** The demo's price table under --budget: 0.10 per job of either type. */
  static final String DEMO_PRICES = "restyle=0.10,act-one=0.10";

  @Option(
      names = "--jobs",
      paramLabel = "N",
      description = "Jobs to run, split half restyle, half act-one. Default: ${DEFAULT-VALUE}")
  int jobs = 6;

  @Option(
      names = "--time-scale",
      paramLabel = "F",
      description =
          "Simulated render time as a fraction of the planning figures (restyle median 150 s,"
              + " act-one 180 s); 1.0 is real time. Default: ${DEFAULT-VALUE}")
  double timeScale = 0.02;

  @Option(
      names = "--format",
      paramLabel = "classic|modern",
      description = "The provider's feed answer format. Default: ${DEFAULT-VALUE}")
  AnswerFormat format = AnswerFormat.CLASSIC;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "How long to wait for every job's terminal event (e.g. 90s, 2m). Default: 120s")
  Duration timeout = Duration.ofSeconds(120);

  @Option(
      names = "--budget",
      paramLabel = "AMOUNT",
      description =
          "Run the worker with a daily spend cap of AMOUNT (USD) and a price of 0.10 per job:"
              + " only the jobs that fit are paid, the others wait, held by the budget guard.")
  String budget;

  @Option(
      names = "--keep-running",
      description = "Leave the stack and the worker up after the jobs, until Ctrl-C.")
  boolean keepRunning;

  @Option(
      names = "--tty",
      hidden = true,
      description = "stderr is a terminal (set by scripts/demo)")
  boolean tty;

  @Spec CommandSpec spec;

  private final PrintStream out;
  private final PrintStream err;
  private final Optional<Path> workerLog;
  private final Clock clock;

  /**
   * Creates the command.
   *
   * @param out the READY line, the table and the summary
   * @param err the progress and the demo's notes
   * @param workerLog where the worker's log goes, to tell the user (empty: not a file)
   * @param clock time source of the worker, the publisher and the progress
   */
  DemoMain(PrintStream out, PrintStream err, Optional<Path> workerLog, Clock clock) {
    this.out = out;
    this.err = err;
    this.workerLog = workerLog;
    this.clock = clock;
  }

  /** Entry point of {@code scripts/demo}; see {@code --help}. */
  public static void main(String[] args) {
    Path logDir = Path.of(System.getProperty(LOG_DIR_PROPERTY, "target/demo")).toAbsolutePath();
    System.setProperty(LOG_DIR_PROPERTY, logDir.toString());
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", LOGBACK_CONFIG);
    }
    DemoMain demo =
        new DemoMain(
            System.out, System.err, Optional.of(logDir.resolve("worker.log")), Clock.systemUTC());
    System.exit(commandLine(demo).execute(args));
  }

  /** The picocli command line of a demo (enum values case-insensitive). */
  public static CommandLine commandLine(DemoMain demo) {
    return new CommandLine(demo).setCaseInsensitiveEnumValuesAllowed(true);
  }

  @Override
  public Integer call() throws Exception {
    checkOptions();
    err.printf(
        Locale.ROOT,
        "demo: starting the embedded stack (Kafka, schema registry, S3, provider simulator)%n");
    DevStack stack;
    try {
      stack = DevStack.start(stackConfig());
    } catch (RuntimeException e) {
      err.println("demo: the embedded stack failed to start: " + e.getMessage());
      e.printStackTrace(err);
      return 1;
    }
    out.println(stack.readyLine());
    out.flush();
    err.printf(
        Locale.ROOT,
        "demo: stack up in %s (%s), %.1f s after JVM start%n",
        DemoParticipants.seconds(stack.startTimes().get("total")),
        stack.startTimesSummary(),
        ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
    DemoSession session = new DemoSession(stack, err);
    // Ctrl-C / SIGTERM at any point still closes the worker and the stack (and their temp dirs).
    Thread hook = new Thread(session::close, "demo-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      return runWith(session);
    } finally {
      session.close();
      removeHook(hook);
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs or ran already
    }
  }

  private int runWith(DemoSession session) throws Exception {
    DevStack stack = session.stack();
    DemoParticipants parties = new DemoParticipants(session, clock, err, workerLog);
    parties.installRedaction();
    WorkerSettings settings = new WorkerSettings(stack, "demo-1");
    if (budget != null) { // issue 14: the budget guard, with the demo's price table
      settings
          .with("spend.enabled", "true")
          .with("spend.prices", DEMO_PRICES)
          .with("spend.global-cap", budget.trim() + "/day");
    }
    WorkerConfig config = settings.config();
    RenderRelayWorker worker = parties.startWorker(config);
    JobTracker tracker = new JobTracker();
    RenderEventListener listener = parties.startListener(tracker);
    RenderCommandPublisher publisher = parties.openPublisher();
    S3Sizes s3 = session.s3(config.storage());

    List<DemoJob> plan = DemoJobs.plan(jobs, runId());
    err.printf(
        Locale.ROOT,
        "demo: publishing %d jobs (%d restyle, %d act-one), simulated render times x%s%n",
        plan.size(),
        (plan.size() + 1) / 2,
        plan.size() / 2,
        timeScale);
    DemoRunner runner =
        new DemoRunner(
            publisher,
            tracker,
            new DemoRunner.Probes(
                ids -> polling(stack, tracker, ids),
                key -> s3.size(stack.bucket(), key),
                listener::failure,
                () -> worker.spendGuard().heldJobIds()),
            new ProgressLine(err, tty, Duration.ofSeconds(3)),
            out,
            err,
            clock,
            Duration.ofMillis(tty ? 100 : 250));
    DemoRunner.Result result = runner.run(plan, timeout);
    int code =
        new DemoSummary(out, err, timeout, Optional.ofNullable(budget), clock)
            .print(result, stack, tracker, worker);
    if (keepRunning) {
      awaitCtrlC(session, worker);
    }
    return code;
  }

  /** Blocks until Ctrl-C / SIGTERM, whose shutdown hook closes the worker and the stack. */
  private void awaitCtrlC(DemoSession session, RenderRelayWorker worker)
      throws InterruptedException {
    err.printf(
        Locale.ROOT,
        "demo: --keep-running: %s worker=http://%s:%d (/health/ready, /metrics); Ctrl-C to stop%n",
        session.stack().readyLine(),
        worker.managementAddress().getHostString(),
        worker.managementAddress().getPort());
    err.flush();
    session.awaitClosed();
  }

  private static int polling(DevStack stack, JobTracker tracker, Collection<String> ids) {
    var paid = stack.simulator().control().paidSubmissions();
    return (int) ids.stream().filter(id -> paid.containsKey(id) && !tracker.isTerminal(id)).count();
  }

  private DevStackConfig stackConfig() {
    return DevStackConfig.defaults()
        .withTimeScale(timeScale)
        .withSimulator(
            SimulatorConfig.defaults()
                .withAnswerFormat(format)
                .withTaskNotExistWindow(Duration.ofMillis(500)));
  }

  private void checkOptions() {
    if (jobs < 1 || jobs > 10_000) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--jobs must be 1..10000, got " + jobs);
    }
    if (!(timeScale > 0) || timeScale > 10) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--time-scale must be > 0 and <= 10, got " + timeScale);
    }
    if (budget != null) {
      try {
        Money.parse(budget);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--budget: " + e.getMessage() + ", got " + budget);
      }
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--timeout must be positive, got " + timeout);
    }
  }

  private static String runId() {
    return UUID.randomUUID().toString().substring(0, 6);
  }
}
