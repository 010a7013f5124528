package io.renderrelay.worker.cli;

import io.renderrelay.worker.config.ClientConfig;
import io.renderrelay.worker.config.ConfigException;
import io.renderrelay.worker.config.ConfigLoader;
import io.renderrelay.worker.config.ConfigSources;
import io.renderrelay.worker.config.KafkaKeys;
import io.renderrelay.worker.config.WorkerConfig.RegistrySettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import picocli.CommandLine.Option;

/**
 * Options every command accepts (a picocli mixin). The settings come from the worker's own
 * configuration ({@link ConfigLoader#loadClient}): the RENDER_RELAY_* variables, {@code --config}
 * file, {@code _FILE} secrets, {@code kafka.client.*} properties, registry auth and topic names, so
 * inside the worker's pod the CLI needs no option at all. The options below override single keys.
 */
public final class GlobalOptions {

  /** The topic names the CLI reads and writes. */
  public record Topics(String deadLetter, String events, String restyle, String actOne) {}

  private final Map<String, String> environment;
  private ClientConfig loaded;

  GlobalOptions(CliContext ctx) {
    this.environment = ctx.environment();
  }

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "The worker's properties file (the same as the worker's --config); never secrets.")
  Path configFile;

  @Option(
      names = "--bootstrap-servers",
      paramLabel = "HOST:PORT[,...]",
      description = "Kafka bootstrap servers (key kafka.bootstrap-servers).")
  String bootstrapServers;

  @Option(
      names = "--registry-url",
      paramLabel = "URL",
      description = "Schema registry URL, Confluent API (key registry.url).")
  String registryUrl;

  @Option(
      names = "--command-config",
      paramLabel = "FILE",
      description =
          "Properties file with extra Kafka client settings, as for Kafka's own tools; on top of"
              + " the kafka.client.* settings.")
  Path commandConfig;

  @Option(
      names = "--dlt-topic",
      paramLabel = "TOPIC",
      description = "Dead-letter topic (key topics.dead-letter).")
  String dltTopic;

  @Option(
      names = "--events-topic",
      paramLabel = "TOPIC",
      description = "Terminal events topic (key topics.events).")
  String eventsTopic;

  @Option(
      names = "--restyle-topic",
      paramLabel = "TOPIC",
      description = "Restyle command topic (key topics.restyle-commands).")
  String restyleTopic;

  @Option(
      names = "--act-one-topic",
      paramLabel = "TOPIC",
      description = "Act-one command topic (key topics.act-one-commands).")
  String actOneTopic;

  @Option(
      names = {"-v", "--verbose"},
      description = "Print stack traces with errors.")
  boolean verbose;

  public String bootstrapServers() {
    return config().kafka().bootstrapServers();
  }

  /** The registry URL, when one is configured (registry.url set, not its default). */
  public Optional<String> registryUrl() {
    return config().registrySet() ? Optional.of(config().registry().url()) : Optional.empty();
  }

  /** The registry settings, with its basic auth or bearer token. */
  public RegistrySettings registry() {
    return config().registry();
  }

  boolean verbose() {
    return verbose;
  }

  public Topics topics() {
    var t = config().kafka().topics();
    return new Topics(t.deadLetter(), t.events(), t.restyleCommands(), t.actOneCommands());
  }

  /** The kafka.client.* properties, with the --command-config file's on top. */
  Map<String, String> clientProperties() {
    Map<String, String> out = new TreeMap<>(config().kafka().clientOverrides());
    if (commandConfig == null) {
      return out;
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(commandConfig)) {
      p.load(r);
    } catch (IOException e) {
      throw new CliException(
          "cannot read --command-config " + commandConfig + ": " + e.getMessage());
    }
    p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
    return out;
  }

  /** Loads the settings once; an invalid one is a usage error that names the key. */
  private ClientConfig config() {
    if (loaded == null) {
      Map<String, String> overrides = new HashMap<>();
      put(overrides, KafkaKeys.KAFKA_BOOTSTRAP_SERVERS.name(), bootstrapServers);
      put(overrides, KafkaKeys.REGISTRY_URL.name(), registryUrl);
      put(overrides, KafkaKeys.TOPIC_DEAD_LETTER.name(), dltTopic);
      put(overrides, KafkaKeys.TOPIC_EVENTS.name(), eventsTopic);
      put(overrides, KafkaKeys.TOPIC_RESTYLE_COMMANDS.name(), restyleTopic);
      put(overrides, KafkaKeys.TOPIC_ACT_ONE_COMMANDS.name(), actOneTopic);
      try {
        loaded =
            ConfigLoader.loadClient(
                new ConfigSources(overrides, environment, Optional.ofNullable(configFile)));
      } catch (ConfigException e) {
        throw new CliUsageException("invalid configuration\n" + e.getMessage());
      }
    }
    return loaded;
  }

  private static void put(Map<String, String> overrides, String key, String value) {
    if (value != null) {
      overrides.put(key, value);
    }
  }
}
