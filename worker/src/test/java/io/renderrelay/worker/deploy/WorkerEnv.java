package io.renderrelay.worker.deploy;

import io.renderrelay.worker.config.ConfigKey;
import io.renderrelay.worker.config.ConfigKeys;
import java.util.Set;
import java.util.TreeSet;

/** The RENDER_RELAY_* environment variable names the worker reads. */
final class WorkerEnv {
  /** Read by logback (worker/src/main/resources/logback.xml), not by the config loader. */
  static final String LOG_LEVEL_VAR = "RENDER_RELAY_LOG_LEVEL";

  /** JVM options of the operator CLI, read by its launchers (scripts/render-relay, the image's). */
  static final String CLI_JAVA_OPTS_VAR = "RENDER_RELAY_CLI_JAVA_OPTS";

  private static final Set<String> KNOWN = known();
  private static final String KAFKA_CLIENT_PREFIX =
      ConfigKey.envNameOf(ConfigKeys.KAFKA_CLIENT_PREFIX);

  private WorkerEnv() {}

  /**
   * True for a declared key's variable, a secret's {@code _FILE} variable, a Kafka client
   * pass-through ({@code RENDER_RELAY_KAFKA_CLIENT_*}), the log level or the CLI's JVM options.
   */
  static boolean isKnown(String name) {
    return KNOWN.contains(name)
        || (name.startsWith(KAFKA_CLIENT_PREFIX) && name.length() > KAFKA_CLIENT_PREFIX.length());
  }

  private static Set<String> known() {
    Set<String> known = new TreeSet<>();
    for (ConfigKey<?> key : ConfigKeys.ALL) {
      known.add(key.envName());
      if (key.secret()) {
        known.add(ConfigKey.envNameOf(key.fileKeyName()));
      }
    }
    known.add(LOG_LEVEL_VAR);
    known.add(CLI_JAVA_OPTS_VAR);
    return known;
  }
}
