package io.renderrelay.worker.config;

import java.util.Objects;
import java.util.Optional;

/**
 * One invalid key: its name, its value as shown to the reader (already redacted for secrets) and
 * why it is wrong.
 */
record ConfigProblem(String key, Optional<String> shownValue, String reason) {

  public ConfigProblem {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(shownValue, "shownValue");
    Objects.requireNonNull(reason, "reason");
  }

  /** A problem with a value that is shown only when the key is not a secret. */
  static ConfigProblem of(String key, String raw, boolean secret, String reason) {
    if (raw == null) {
      return new ConfigProblem(key, Optional.empty(), reason);
    }
    if (secret) {
      String safeReason = raw.isEmpty() ? reason : reason.replace(raw, Secret.REDACTED);
      return new ConfigProblem(key, Optional.of(Secret.REDACTED), safeReason);
    }
    return new ConfigProblem(key, Optional.of(raw), reason);
  }

  /** {@code provider.port = 'abc': not an integer}. */
  public String describe() {
    return key + shownValue.map(v -> " = '" + v + "'").orElse("") + ": " + reason;
  }
}
