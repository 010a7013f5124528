package io.renderrelay.devstack.simulator;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the provider simulator standalone; prints {@code SIMULATOR <baseUrl>} once listening. */
@Command(
    name = "provider-simulator",
    mixinStandardHelpOptions = true,
    description = "Serves a simulated CometAPI/Runway provider on 127.0.0.1 until killed.")
public final class SimulatorMain implements Callable<Integer> {
  @Option(names = "--port", description = "TCP port, 0 = free (default: ${DEFAULT-VALUE})")
  int port = 0;

  @Option(
      names = "--time-scale",
      description = "Render-time factor, 1 = real (default: ${DEFAULT-VALUE})")
  double timeScale = 1.0;

  @Option(names = "--format", description = "CLASSIC or MODERN (default: ${DEFAULT-VALUE})")
  AnswerFormat format = AnswerFormat.CLASSIC;

  @Option(names = "--api-key", description = "Expected bearer key (default: sim-key)")
  String apiKey = SimulatorConfig.DEFAULT_API_KEY;

  @Option(
      names = "--not-exist-ms",
      description = "task_not_exist window in ms (default: ${DEFAULT-VALUE})")
  long notExistMillis = 2000;

  @Option(names = "--render-ms", description = "Fixed render time in ms instead of sampling")
  Long renderMillis;

  @Option(names = "--video-bytes", description = "Video size in bytes (default: 256 KiB)")
  long videoBytes = OutputSizes.defaults().videoBytes();

  @Option(names = "--image-bytes", description = "Poster and last-frame size (default: 16 KiB)")
  long imageBytes = OutputSizes.defaults().posterBytes();

  @Option(names = "--seed", description = "Random seed (default: ${DEFAULT-VALUE})")
  long seed = 42;

  @Override
  public Integer call() throws InterruptedException {
    SimulatorConfig cfg =
        SimulatorConfig.defaults()
            .withPort(port)
            .withTimeScale(timeScale)
            .withAnswerFormat(format)
            .withApiKey(apiKey)
            .withSeed(seed)
            .withTaskNotExistWindow(Duration.ofMillis(notExistMillis))
            .withOutputSizes(new OutputSizes(videoBytes, imageBytes, imageBytes))
            .withRenderTimeOverride(renderMillis == null ? null : Duration.ofMillis(renderMillis));
    ProviderSimulator sim = new ProviderSimulator(cfg, Clock.systemUTC()).start();
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  sim.close();
                  stop.countDown();
                }));
    System.out.println("SIMULATOR " + sim.baseUrl());
    System.out.flush();
    stop.await();
    return 0;
  }

  public static void main(String[] args) {
    int code =
        new CommandLine(new SimulatorMain())
            .setCaseInsensitiveEnumValuesAllowed(true)
            .execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }
}
