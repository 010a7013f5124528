package io.renderrelay.worker.config;

import java.util.List;

/** Renders the effective configuration, one key a line with its source; secrets as [redacted]. */
public final class ConfigDump {
  private ConfigDump() {}

  /** The effective configuration as text. */
  public static String render(LoadedConfig loaded) {
    return render(loaded.values());
  }

  /** The given values as text. */
  public static String render(List<ResolvedValue> values) {
    int width = values.stream().mapToInt(v -> v.key().length()).max().orElse(0);
    StringBuilder out = new StringBuilder("# render-relay effective configuration\n");
    for (ResolvedValue v : values) {
      String shown = v.raw().isEmpty() ? "(unset)" : v.secret() ? Secret.REDACTED : v.raw().get();
      out.append(String.format("%-" + width + "s = %s  # %s%n", v.key(), shown, v.source()));
    }
    return out.toString();
  }
}
