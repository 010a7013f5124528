package io.renderrelay.worker.config;

import java.util.List;

/**
 * A loaded configuration: the typed config plus every effective raw value with its source.
 *
 * @param config the typed configuration
 * @param values each key's effective value and source, in declaration order
 */
public record LoadedConfig(WorkerConfig config, List<ResolvedValue> values) {

  public LoadedConfig {
    values = List.copyOf(values);
  }

  /** Every secret value set, for registration with the log redaction at startup. */
  public List<String> secretValues() {
    return values.stream()
        .filter(ResolvedValue::secret)
        .flatMap(v -> v.raw().stream())
        .filter(s -> !s.isEmpty())
        .toList();
  }
}
