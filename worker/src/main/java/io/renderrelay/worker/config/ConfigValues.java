package io.renderrelay.worker.config;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The parsed, individually valid values of the declared keys (absent when unset or invalid). */
final class ConfigValues {
  private final Map<String, Object> values = new HashMap<>();

  <T> void put(ConfigKey<T> key, T value) {
    values.put(key.name(), value);
  }

  /** The value, or null when unset or invalid. */
  @SuppressWarnings("unchecked")
  <T> T get(ConfigKey<T> key) {
    return (T) values.get(key.name());
  }

  <T> Optional<T> optional(ConfigKey<T> key) {
    return Optional.ofNullable(get(key));
  }

  boolean has(ConfigKey<?> key) {
    return values.containsKey(key.name());
  }
}
