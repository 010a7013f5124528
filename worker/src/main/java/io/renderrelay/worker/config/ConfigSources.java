package io.renderrelay.worker.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where configuration comes from, in precedence order: explicit overrides (tests, tooling), the
 * environment, a properties file, then the declared defaults. Secrets come only from the
 * environment or from a file named by a {@code <key>-file} key.
 *
 * @param overrides explicit key/value pairs, highest precedence; never secrets
 * @param environment environment variables (RENDER_RELAY_*)
 * @param propertiesFile an optional properties file (--config); never secrets
 */
public record ConfigSources(
    Map<String, String> overrides, Map<String, String> environment, Optional<Path> propertiesFile) {

  public ConfigSources {
    overrides = Map.copyOf(Objects.requireNonNull(overrides, "overrides"));
    environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
    Objects.requireNonNull(propertiesFile, "propertiesFile");
  }

  /** The process environment and an optional properties file, no overrides. */
  public static ConfigSources system(Optional<Path> propertiesFile) {
    return new ConfigSources(Map.of(), System.getenv(), propertiesFile);
  }
}
