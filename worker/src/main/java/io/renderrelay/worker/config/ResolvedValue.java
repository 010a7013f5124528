package io.renderrelay.worker.config;

import java.util.Optional;

/**
 * The effective raw value of one key and where it came from; used by {@link ConfigDump}.
 *
 * @param key the key name (a declared key or a kafka.client.* property)
 * @param raw the raw text, if set
 * @param source where it came from, e.g. "default", "env RENDER_RELAY_X", "file /run/secrets/x"
 * @param secret true when the value must be shown as [redacted]
 */
record ResolvedValue(String key, Optional<String> raw, String source, boolean secret) {

  @Override
  public String toString() {
    String shown = raw.isEmpty() ? "(unset)" : secret ? Secret.REDACTED : raw.get();
    return "ResolvedValue[" + key + "=" + shown + ", " + source + "]";
  }
}
