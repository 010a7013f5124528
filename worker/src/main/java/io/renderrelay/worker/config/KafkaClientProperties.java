package io.renderrelay.worker.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * The pass-through Kafka client properties ({@code kafka.client.<property>}). Credential-holding
 * properties follow the secret rules: environment or {@code -file} only, always redacted.
 */
final class KafkaClientProperties {
  /** The transactional producers' transaction.timeout.ms unless overridden (KafkaClientFactory). */
  public static final long DEFAULT_TRANSACTION_TIMEOUT_MS = 60_000;

  private static final String ENV_PREFIX = ConfigKey.ENV_PREFIX + "KAFKA_CLIENT_";
  private static final Pattern SECRET_NAME =
      Pattern.compile(".*(password|secret|token|jaas|credential|apikey|api\\.key).*");

  /** Properties the worker sets itself; overriding them would break its guarantees. */
  static final Set<String> MANAGED =
      Set.of(
          "bootstrap.servers",
          "group.id",
          "transactional.id",
          "isolation.level",
          "enable.auto.commit",
          "enable.idempotence",
          "key.serializer",
          "value.serializer",
          "key.deserializer",
          "value.deserializer",
          "group.protocol",
          "group.remote.assignor",
          "partition.assignment.strategy");

  private final Map<String, String> properties = new LinkedHashMap<>();
  private final Map<String, ResolvedValue> resolved = new LinkedHashMap<>();

  private KafkaClientProperties() {}

  Map<String, String> properties() {
    return Map.copyOf(properties);
  }

  List<ResolvedValue> resolved() {
    return new ArrayList<>(resolved.values());
  }

  /** True for a property that holds a credential (sasl.jaas.config, ssl.key.password, ...). */
  static boolean isSecret(String property) {
    return SECRET_NAME.matcher(property.toLowerCase(Locale.ROOT)).matches();
  }

  static KafkaClientProperties collect(
      ConfigSources sources,
      Map<String, String> props,
      List<ConfigProblem> problems,
      BiFunction<String, String, String> secretFileReader) {
    KafkaClientProperties out = new KafkaClientProperties();
    // lowest precedence first; later sources overwrite
    out.addFrom(props, "properties file", false, problems, secretFileReader);
    out.addFrom(envEntries(sources.environment()), "env", true, problems, secretFileReader);
    out.addFrom(sources.overrides(), "override", false, problems, secretFileReader);
    return out;
  }

  private static Map<String, String> envEntries(Map<String, String> env) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : env.entrySet()) {
      if (e.getKey().startsWith(ENV_PREFIX) && e.getKey().length() > ENV_PREFIX.length()) {
        String rest = e.getKey().substring(ENV_PREFIX.length());
        boolean file = rest.endsWith("_FILE");
        if (file) {
          rest = rest.substring(0, rest.length() - 5);
        }
        String name = rest.toLowerCase(Locale.ROOT).replace('_', '.');
        out.put(
            ConfigKeys.KAFKA_CLIENT_PREFIX + name + (file ? ConfigKey.FILE_SUFFIX : ""),
            e.getValue());
      }
    }
    return out;
  }

  private void addFrom(
      Map<String, String> entries,
      String where,
      boolean secretsAllowed,
      List<ConfigProblem> problems,
      BiFunction<String, String, String> secretFileReader) {
    for (Map.Entry<String, String> e : entries.entrySet()) {
      String key = e.getKey();
      if (!key.startsWith(ConfigKeys.KAFKA_CLIENT_PREFIX)) {
        continue;
      }
      boolean fromFile = key.endsWith(ConfigKey.FILE_SUFFIX);
      String property =
          key.substring(
              ConfigKeys.KAFKA_CLIENT_PREFIX.length(),
              key.length() - (fromFile ? ConfigKey.FILE_SUFFIX.length() : 0));
      String name = ConfigKeys.KAFKA_CLIENT_PREFIX + property;
      boolean secret = isSecret(property);
      if (property.isBlank()) {
        problems.add(ConfigProblem.of(key, e.getValue(), true, "names no Kafka property"));
      } else if (MANAGED.contains(property)) {
        problems.add(
            ConfigProblem.of(
                name, e.getValue(), secret, "is managed by the worker and may not be overridden"));
      } else if (fromFile) {
        String value = secretFileReader.apply(name, e.getValue());
        if (value != null) {
          put(name, property, value, "file " + e.getValue(), secret);
        }
      } else if (secret && !secretsAllowed) {
        problems.add(
            ConfigProblem.of(
                name,
                e.getValue(),
                true,
                "holds a credential and may not be given in the "
                    + where
                    + ": set the environment"
                    + " variable "
                    + ConfigKey.envNameOf(name)
                    + " or name a file with "
                    + name
                    + ConfigKey.FILE_SUFFIX));
      } else {
        String source = where.equals("env") ? "env " + ConfigKey.envNameOf(name) : where;
        put(name, property, e.getValue(), source, secret);
      }
    }
  }

  private void put(String name, String property, String value, String source, boolean secret) {
    properties.put(property, value);
    resolved.put(name, new ResolvedValue(name, Optional.of(value), source, secret));
  }
}
