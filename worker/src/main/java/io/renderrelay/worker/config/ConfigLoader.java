package io.renderrelay.worker.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Loads the {@link WorkerConfig} from {@link ConfigSources}: every declared key is looked up,
 * parsed and validated, then cross-key rules run; all problems are reported at once in one {@link
 * ConfigException}.
 */
public final class ConfigLoader {
  /** The groups a Kafka and registry client (the operator CLI) needs. */
  private static final Set<String> CLIENT_GROUPS = Set.of("kafka", "topics", "registry");

  private final ConfigSources sources;
  private final List<ConfigProblem> problems = new ArrayList<>();
  private final Map<String, String> props;
  private final Predicate<String> inScope;

  private ConfigLoader(ConfigSources sources, Predicate<String> inScope) {
    this.sources = sources;
    this.inScope = inScope;
    this.props = readProperties(sources.propertiesFile());
  }

  /** Loads and validates the configuration. */
  public static WorkerConfig load(ConfigSources sources) throws ConfigException {
    return loadWithSources(sources).config();
  }

  /** Loads and validates the configuration, keeping each value's source for {@link ConfigDump}. */
  public static LoadedConfig loadWithSources(ConfigSources sources) throws ConfigException {
    return new ConfigLoader(sources, key -> true).run();
  }

  /**
   * Loads the Kafka, topic and registry settings only, from the same sources and with the same
   * rules (kafka.client.* passthrough, secrets from the environment or a file, unknown keys
   * refused): for tools beside the worker, such as the operator CLI, that need no provider, S3 or
   * callback settings. Problems of the other keys are not reported.
   */
  public static ClientConfig loadClient(ConfigSources sources) throws ConfigException {
    ConfigLoader loader =
        new ConfigLoader(
            sources,
            name ->
                ConfigKeys.byName(name).map(k -> CLIENT_GROUPS.contains(k.group())).orElse(true));
    List<ResolvedValue> resolved = new ArrayList<>();
    ConfigValues values = loader.resolveAll(resolved);
    KafkaClientProperties client =
        KafkaClientProperties.collect(
            sources, loader.props, loader.problems, loader::readSecretFile);
    loader.problems.addAll(CrossKeyChecks.check(values));
    loader.problems.removeIf(p -> !loader.inScope.test(p.key()));
    if (!loader.problems.isEmpty()) {
      throw new ConfigException(loader.problems);
    }
    boolean registrySet =
        resolved.stream()
            .anyMatch(
                r ->
                    r.key().equals(KafkaKeys.REGISTRY_URL.name()) && !r.source().equals("default"));
    return new ClientConfig(
        WorkerConfigBinder.kafka(values, client.properties()),
        WorkerConfigBinder.registry(values),
        registrySet);
  }

  private ConfigValues resolveAll(List<ResolvedValue> resolved) {
    checkNoSecretsOrUnknownKeys(props, "the properties file");
    checkNoSecretsOrUnknownKeys(sources.overrides(), "the overrides");
    ConfigValues values = new ConfigValues();
    for (ConfigKey<?> key : ConfigKeys.ALL) {
      resolved.add(resolveKey(key, values));
    }
    return values;
  }

  private LoadedConfig run() throws ConfigException {
    List<ResolvedValue> resolved = new ArrayList<>();
    ConfigValues values = resolveAll(resolved);
    KafkaClientProperties client =
        KafkaClientProperties.collect(sources, props, problems, this::readSecretFile);
    resolved.addAll(client.resolved());
    problems.addAll(CrossKeyChecks.check(values));
    problems.addAll(CrossKeyChecks.spendReadBack(values, client.properties()));
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new LoadedConfig(WorkerConfigBinder.bind(values, client.properties()), resolved);
  }

  private <T> ResolvedValue resolveKey(ConfigKey<T> key, ConfigValues values) {
    Raw raw = key.secret() ? lookupSecret(key) : lookupPlain(key);
    if (raw == null) {
      return new ResolvedValue(key.name(), Optional.empty(), "unset", key.secret());
    }
    if (raw.text().isBlank() && (key.required() || key.blankMeansUnset())) {
      if (key.required()) {
        problems.add(ConfigProblem.of(key.name(), null, false, requiredMessage(key)));
      }
      return new ResolvedValue(key.name(), Optional.of(raw.text()), raw.source(), key.secret());
    }
    try {
      T value = key.type().parse(raw.text());
      Optional<String> invalid = key.validator().check(value);
      if (invalid.isPresent()) {
        problems.add(ConfigProblem.of(key.name(), raw.text(), key.secret(), invalid.get()));
      } else {
        values.put(key, value);
      }
    } catch (IllegalArgumentException e) {
      problems.add(ConfigProblem.of(key.name(), raw.text(), key.secret(), e.getMessage()));
    }
    return new ResolvedValue(key.name(), Optional.of(raw.text()), raw.source(), key.secret());
  }

  /** A raw value and its source. */
  private record Raw(String text, String source) {}

  private Raw lookupPlain(ConfigKey<?> key) {
    String name = key.name();
    if (sources.overrides().containsKey(name)) {
      return new Raw(sources.overrides().get(name), "override");
    }
    String env = sources.environment().get(key.envName());
    if (env != null) {
      return new Raw(env, "env " + key.envName());
    }
    if (props.containsKey(name)) {
      return new Raw(props.get(name), "properties file");
    }
    if (key.defaultValue().isPresent()) {
      return new Raw(key.defaultValue().get(), "default");
    }
    if (key.required()) {
      problems.add(ConfigProblem.of(name, null, false, requiredMessage(key)));
    }
    return null;
  }

  private Raw lookupSecret(ConfigKey<?> key) {
    String env = sources.environment().get(key.envName());
    Optional<String> file = fileKeyValue(key.fileKeyName());
    if (env != null && file.isPresent()) {
      problems.add(
          ConfigProblem.of(
              key.name(),
              env,
              true,
              "set both " + key.envName() + " and " + key.fileKeyName() + "; set only one"));
      return null;
    }
    if (env != null) {
      return new Raw(env, "env " + key.envName());
    }
    if (file.isPresent()) {
      String content = readSecretFile(key.name(), file.get());
      return content == null ? null : new Raw(content, "file " + file.get());
    }
    if (key.required()) {
      problems.add(ConfigProblem.of(key.name(), null, false, requiredMessage(key)));
    }
    return null;
  }

  /** The path named by a {@code -file} key: overrides, then env, then the properties file. */
  Optional<String> fileKeyValue(String fileKey) {
    String envName = ConfigKey.envNameOf(fileKey);
    if (sources.overrides().containsKey(fileKey)) {
      return Optional.of(sources.overrides().get(fileKey));
    }
    if (sources.environment().containsKey(envName)) {
      return Optional.of(sources.environment().get(envName));
    }
    return Optional.ofNullable(props.get(fileKey));
  }

  /** Reads a secret file (trailing newline stripped); null and a problem when unreadable. */
  private String readSecretFile(String key, String path) {
    try {
      String text = Files.readString(Path.of(path.trim()), StandardCharsets.UTF_8);
      return text.strip();
    } catch (IOException | RuntimeException e) {
      problems.add(
          ConfigProblem.of(
              key + ConfigKey.FILE_SUFFIX,
              path,
              false,
              "cannot read the secret file (" + e.getClass().getSimpleName() + ")"));
      return null;
    }
  }

  private static String requiredMessage(ConfigKey<?> key) {
    if (key.secret()) {
      return "is required: set the environment variable "
          + key.envName()
          + " or name a file holding it with "
          + key.fileKeyName();
    }
    return "is required: set it in the properties file or as " + key.envName();
  }

  private void checkNoSecretsOrUnknownKeys(Map<String, String> entries, String where) {
    for (Map.Entry<String, String> e : entries.entrySet()) {
      String name = e.getKey();
      if (name.startsWith(ConfigKeys.KAFKA_CLIENT_PREFIX)) {
        continue; // checked by KafkaClientProperties
      }
      Optional<ConfigKey<?>> key = ConfigKeys.byName(name);
      if (key.isPresent() && key.get().secret()) {
        problems.add(
            ConfigProblem.of(
                name,
                e.getValue(),
                true,
                "is a secret and may not be given in "
                    + where
                    + ": set the environment variable "
                    + key.get().envName()
                    + " or name a file holding it with "
                    + key.get().fileKeyName()));
      } else if (key.isEmpty() && !isSecretFileKey(name)) {
        problems.add(
            ConfigProblem.of(
                name,
                e.getValue(),
                false,
                "unknown key (in " + where + "); see docs/configuration.md"));
      }
    }
  }

  private static boolean isSecretFileKey(String name) {
    if (!name.endsWith(ConfigKey.FILE_SUFFIX)) {
      return false;
    }
    String base = name.substring(0, name.length() - ConfigKey.FILE_SUFFIX.length());
    return ConfigKeys.byName(base).map(ConfigKey::secret).orElse(false);
  }

  private Map<String, String> readProperties(Optional<Path> file) {
    Map<String, String> out = new LinkedHashMap<>();
    if (file.isEmpty()) {
      return out;
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file.get(), StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException | IllegalArgumentException e) {
      problems.add(
          new ConfigProblem(
              "--config",
              Optional.of(file.get().toString()),
              "cannot read the properties file ("
                  + e.getClass().getSimpleName()
                  + ": "
                  + e.getMessage()
                  + ")"));
      return out;
    }
    for (String name : p.stringPropertyNames()) {
      out.put(name.trim(), p.getProperty(name));
    }
    return out;
  }
}
