package io.renderrelay.worker.config;

import java.util.Objects;

/** A secret value that never shows itself in toString, logs or config dumps. */
public final class Secret {
  /** What a secret looks like in every dump, log line and message. */
  public static final String REDACTED = "[redacted]";

  private final String value;

  public Secret(String value) {
    this.value = Objects.requireNonNull(value, "value");
  }

  /** The raw value, to be used only where it is sent (an HTTP header, a client credential). */
  public String reveal() {
    return value;
  }

  public boolean isEmpty() {
    return value.isEmpty();
  }

  @Override
  public String toString() {
    return REDACTED;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret s && s.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }
}
