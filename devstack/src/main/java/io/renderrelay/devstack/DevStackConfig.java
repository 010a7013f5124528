package io.renderrelay.devstack;

import io.renderrelay.devstack.simulator.SimulatorConfig;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Ports, storage and knobs of the embedded default stack. A port of 0 means "any free port".
 *
 * @param kafkaPort the broker's client port
 * @param registryPort the schema registry's HTTP port
 * @param s3Port the S3 server's HTTP port
 * @param providerPort the provider simulator's HTTP port
 * @param dataDir where the components keep data ({@code kafka/}, {@code s3/} below it), kept after
 *     close; empty means temporary directories deleted on close
 * @param bucket the S3 bucket created at start
 * @param timeScale passed to the provider simulator: 1.0 is real time, 0.01 runs 100x faster
 * @param simulator the provider simulator's other settings
 */
public record DevStackConfig(
    int kafkaPort,
    int registryPort,
    int s3Port,
    int providerPort,
    Optional<Path> dataDir,
    String bucket,
    double timeScale,
    SimulatorConfig simulator) {

  /** The bucket created by default. */
  public static final String DEFAULT_BUCKET = "renders";

  /** Validates the arguments. */
  public DevStackConfig {
    checkPort("kafka", kafkaPort);
    checkPort("registry", registryPort);
    checkPort("s3", s3Port);
    checkPort("provider", providerPort);
    Objects.requireNonNull(dataDir, "dataDir");
    if (bucket == null || !bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
      throw new IllegalArgumentException("not a valid S3 bucket name: " + bucket);
    }
    if (!(timeScale > 0) || Double.isInfinite(timeScale)) {
      throw new IllegalArgumentException("time scale must be a positive number: " + timeScale);
    }
  }

  /** Free ports, temporary storage, bucket {@value #DEFAULT_BUCKET}, real time. */
  public static DevStackConfig defaults() {
    return new DevStackConfig(
        0, 0, 0, 0, Optional.empty(), DEFAULT_BUCKET, 1.0, SimulatorConfig.defaults());
  }

  /** This config with data kept under {@code dir}. */
  public DevStackConfig withDataDir(Path dir) {
    return new DevStackConfig(
        kafkaPort,
        registryPort,
        s3Port,
        providerPort,
        Optional.of(dir),
        bucket,
        timeScale,
        simulator);
  }

  /** This config with the given time scale for the provider simulator. */
  public DevStackConfig withTimeScale(double scale) {
    return new DevStackConfig(
        kafkaPort, registryPort, s3Port, providerPort, dataDir, bucket, scale, simulator);
  }

  /**
   * This config with the given provider simulator settings (its port and time scale are set from
   * here).
   */
  public DevStackConfig withSimulator(SimulatorConfig sim) {
    return new DevStackConfig(
        kafkaPort, registryPort, s3Port, providerPort, dataDir, bucket, timeScale, sim);
  }

  private static void checkPort(String what, int port) {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException(what + " port must be 0 (free port) or 1..65535: " + port);
    }
  }
}
