package io.renderrelay.devstack;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the embedded default stack until SIGINT or SIGTERM: prints one {@code READY ...} line on
 * stdout once everything serves (logs go to stderr), then closes everything and exits 0.
 */
@Command(
    name = "devstack",
    mixinStandardHelpOptions = true,
    description =
        "Runs the render-relay default stack (Kafka, schema registry, S3, provider simulator) on"
            + " 127.0.0.1.")
public final class DevStackMain implements Callable<Integer> {
  private static final String LOGBACK_CONFIG = "devstack-logback.xml";

  @Option(
      names = "--kafka-port",
      description = "Kafka client port (0 = any free port). Default: ${DEFAULT-VALUE}")
  int kafkaPort;

  @Option(
      names = "--registry-port",
      description = "Schema registry port (0 = any free port). Default: ${DEFAULT-VALUE}")
  int registryPort;

  @Option(
      names = "--s3-port",
      description = "S3 port (0 = any free port). Default: ${DEFAULT-VALUE}")
  int s3Port;

  @Option(
      names = "--provider-port",
      description = "Provider simulator port (0 = any free port). Default: ${DEFAULT-VALUE}")
  int providerPort;

  @Option(
      names = "--data-dir",
      description = "Keep data under this directory (default: temporary, deleted on exit).")
  Path dataDir;

  @Option(names = "--bucket", description = "S3 bucket to create. Default: ${DEFAULT-VALUE}")
  String bucket = DevStackConfig.DEFAULT_BUCKET;

  @Option(
      names = "--time-scale",
      description =
          "Provider simulator time scale (1.0 = real time, 0.01 = 100x faster). Default:"
              + " ${DEFAULT-VALUE}")
  double timeScale = 1.0;

  private final PrintStream out;
  private final PrintStream err;
  private final CountDownLatch stopRequested = new CountDownLatch(1);

  DevStackMain(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /** Entry point; see {@code --help}. */
  public static void main(String[] args) {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", LOGBACK_CONFIG);
    }
    int code = new CommandLine(new DevStackMain(System.out, System.err)).execute(args);
    System.exit(code);
  }

  DevStackConfig config() {
    return new DevStackConfig(
        kafkaPort,
        registryPort,
        s3Port,
        providerPort,
        Optional.ofNullable(dataDir),
        bucket,
        timeScale,
        io.renderrelay.devstack.simulator.SimulatorConfig.defaults());
  }

  @Override
  public Integer call() throws InterruptedException {
    DevStackConfig config = config();
    if (!StopSignals.onStop(stopRequested::countDown)) {
      err.println(
          "devstack: no signal handling in this JVM; a signal will exit without a clean close"
              + " code");
    }
    DevStack stack;
    try {
      stack = DevStack.start(config);
    } catch (RuntimeException e) {
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      err.println("devstack: failed to start: " + e.getMessage() + " (cause: " + root + ")");
      e.printStackTrace(err);
      return 1;
    }
    // A backstop for exits that are not a signal (the hook is a no-op after a clean close).
    Thread hook = new Thread(stack::close, "devstack-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    out.println(stack.readyLine());
    out.flush();
    err.printf(
        "devstack: up (%s), bucket '%s'; Ctrl-C to stop%n",
        stack.startTimesSummary(), stack.bucket());
    stopRequested.await();
    err.println("devstack: stopping");
    stack.close();
    err.println("devstack: stopped");
    return 0;
  }
}
