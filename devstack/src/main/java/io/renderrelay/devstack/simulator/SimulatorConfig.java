package io.renderrelay.devstack.simulator;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Configuration of a {@link ProviderSimulator}.
 *
 * @param port TCP port on 127.0.0.1; 0 picks a free one
 * @param apiKey the bearer key every provider call must carry (never printed by toString)
 * @param answerFormat the initial feed answer format (switchable at runtime)
 * @param timeScale factor applied to sampled render times: 1.0 real planning times, 0 instant
 * @param restyleRenderTime render-time distribution of restyle tasks
 * @param actOneRenderTime render-time distribution of act-one tasks
 * @param renderTimeOverride when non-null, every task takes exactly this long (not scaled); {@code
 *     Duration.ZERO} means done at the first poll after the not-exist window
 * @param taskNotExistWindow how long after submit the feed answers task_not_exist (not scaled)
 * @param outputSizes byte sizes of the served files
 * @param seed seed of every random choice (render times, faults)
 * @param callbacksEnabled whether ended tasks are POSTed to their callback_url
 * @param callbackTimeout connect and request timeout of one callback POST
 */
public record SimulatorConfig(
    int port,
    String apiKey,
    AnswerFormat answerFormat,
    double timeScale,
    RenderTimeDistribution restyleRenderTime,
    RenderTimeDistribution actOneRenderTime,
    Duration renderTimeOverride,
    Duration taskNotExistWindow,
    OutputSizes outputSizes,
    long seed,
    boolean callbacksEnabled,
    Duration callbackTimeout) {

  public static final String DEFAULT_API_KEY = "sim-key";

  public SimulatorConfig {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, got " + port);
    }
    if (apiKey == null || apiKey.isBlank()) {
      throw new IllegalArgumentException("apiKey must not be blank");
    }
    Objects.requireNonNull(answerFormat, "answerFormat");
    if (!(timeScale >= 0) || Double.isInfinite(timeScale)) {
      throw new IllegalArgumentException("timeScale must be a finite number >= 0");
    }
    Objects.requireNonNull(restyleRenderTime, "restyleRenderTime");
    Objects.requireNonNull(actOneRenderTime, "actOneRenderTime");
    if (renderTimeOverride != null && renderTimeOverride.isNegative()) {
      throw new IllegalArgumentException("renderTimeOverride must not be negative");
    }
    requireNonNegative(taskNotExistWindow, "taskNotExistWindow");
    Objects.requireNonNull(outputSizes, "outputSizes");
    requireNonNegative(callbackTimeout, "callbackTimeout");
  }

  /** Free port, key "sim-key", CLASSIC, real planning times, 2 s not-exist window, callbacks on. */
  public static SimulatorConfig defaults() {
    return new SimulatorConfig(
        0,
        DEFAULT_API_KEY,
        AnswerFormat.CLASSIC,
        1.0,
        RenderTimeDistribution.restyleDefault(),
        RenderTimeDistribution.actOneDefault(),
        null,
        Duration.ofSeconds(2),
        OutputSizes.defaults(),
        42L,
        true,
        Duration.ofSeconds(5));
  }

  /** The render-time distribution of {@code kind}. */
  public RenderTimeDistribution renderTime(JobKind kind) {
    return kind == JobKind.RESTYLE ? restyleRenderTime : actOneRenderTime;
  }

  public SimulatorConfig withPort(int p) {
    return copy(draft -> draft.port = p);
  }

  public SimulatorConfig withApiKey(String k) {
    return copy(draft -> draft.apiKey = k);
  }

  public SimulatorConfig withAnswerFormat(AnswerFormat f) {
    return copy(draft -> draft.answerFormat = f);
  }

  public SimulatorConfig withTimeScale(double s) {
    return copy(draft -> draft.timeScale = s);
  }

  public SimulatorConfig withRenderTimes(
      RenderTimeDistribution restyle, RenderTimeDistribution act) {
    return copy(
        draft -> {
          draft.restyleRenderTime = restyle;
          draft.actOneRenderTime = act;
        });
  }

  public SimulatorConfig withRenderTimeOverride(Duration d) {
    return copy(draft -> draft.renderTimeOverride = d);
  }

  public SimulatorConfig withTaskNotExistWindow(Duration d) {
    return copy(draft -> draft.taskNotExistWindow = d);
  }

  public SimulatorConfig withOutputSizes(OutputSizes s) {
    return copy(draft -> draft.outputSizes = s);
  }

  public SimulatorConfig withSeed(long s) {
    return copy(draft -> draft.seed = s);
  }

  public SimulatorConfig withCallbacksEnabled(boolean on) {
    return copy(draft -> draft.callbacksEnabled = on);
  }

  public SimulatorConfig withCallbackTimeout(Duration d) {
    return copy(draft -> draft.callbackTimeout = d);
  }

  private SimulatorConfig copy(Consumer<Draft> change) {
    Draft d = new Draft(this);
    change.accept(d);
    return new SimulatorConfig(
        d.port,
        d.apiKey,
        d.answerFormat,
        d.timeScale,
        d.restyleRenderTime,
        d.actOneRenderTime,
        d.renderTimeOverride,
        d.taskNotExistWindow,
        d.outputSizes,
        d.seed,
        d.callbacksEnabled,
        d.callbackTimeout);
  }

  /** The components of a copy being made, some of them changed. */
  private static final class Draft {
    int port;
    String apiKey;
    AnswerFormat answerFormat;
    double timeScale;
    RenderTimeDistribution restyleRenderTime;
    RenderTimeDistribution actOneRenderTime;
    Duration renderTimeOverride;
    Duration taskNotExistWindow;
    OutputSizes outputSizes;
    long seed;
    boolean callbacksEnabled;
    Duration callbackTimeout;

    Draft(SimulatorConfig c) {
      port = c.port;
      apiKey = c.apiKey;
      answerFormat = c.answerFormat;
      timeScale = c.timeScale;
      restyleRenderTime = c.restyleRenderTime;
      actOneRenderTime = c.actOneRenderTime;
      renderTimeOverride = c.renderTimeOverride;
      taskNotExistWindow = c.taskNotExistWindow;
      outputSizes = c.outputSizes;
      seed = c.seed;
      callbacksEnabled = c.callbacksEnabled;
      callbackTimeout = c.callbackTimeout;
    }
  }

  @Override
  public String toString() {
    return "SimulatorConfig[port="
        + port
        + ", apiKey=***, answerFormat="
        + answerFormat
        + ", timeScale="
        + timeScale
        + ", restyleRenderTime="
        + restyleRenderTime
        + ", actOneRenderTime="
        + actOneRenderTime
        + ", renderTimeOverride="
        + renderTimeOverride
        + ", taskNotExistWindow="
        + taskNotExistWindow
        + ", outputSizes="
        + outputSizes
        + ", seed="
        + seed
        + ", callbacksEnabled="
        + callbacksEnabled
        + ", callbackTimeout="
        + callbackTimeout
        + "]";
  }

  private static void requireNonNegative(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative, got " + d);
    }
  }
}
