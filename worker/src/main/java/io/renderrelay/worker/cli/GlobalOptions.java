package io.renderrelay.worker.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import picocli.CommandLine.Option;

/**
 * Options every command accepts (a picocli mixin): where Kafka and the schema registry are, extra
 * Kafka client properties, and the topic names.
 */
public final class GlobalOptions {

  /** The topic names the CLI reads and writes. */
  public record Topics(String deadLetter, String events, String restyle, String actOne) {}

  @Option(
      names = "--bootstrap-servers",
      paramLabel = "HOST:PORT[,...]",
      defaultValue = "${env:RENDER_RELAY_KAFKA_BOOTSTRAP_SERVERS:-localhost:9092}",
      description =
          "Kafka bootstrap servers (env RENDER_RELAY_KAFKA_BOOTSTRAP_SERVERS, default"
              + " localhost:9092). Current: ${DEFAULT-VALUE}.")
  String bootstrapServers;

  @Option(
      names = "--registry-url",
      paramLabel = "URL[,...]",
      defaultValue = "${env:RENDER_RELAY_REGISTRY_URL}",
      description =
          "Schema registry URL(s), Confluent API (env RENDER_RELAY_REGISTRY_URL). Needed to"
              + " decode and encode Avro.")
  String registryUrl;

  @Option(
      names = "--command-config",
      paramLabel = "FILE",
      description =
          "Properties file with extra Kafka client settings (security.protocol, sasl.*, ssl.*),"
              + " as for Kafka's own tools.")
  Path commandConfig;

  @Option(
      names = "--dlt-topic",
      paramLabel = "TOPIC",
      defaultValue = "render.dlt",
      description = "Dead-letter topic (default: ${DEFAULT-VALUE}).")
  String dltTopic;

  @Option(
      names = "--events-topic",
      paramLabel = "TOPIC",
      defaultValue = "render.events",
      description = "Terminal events topic (default: ${DEFAULT-VALUE}).")
  String eventsTopic;

  @Option(
      names = "--restyle-topic",
      paramLabel = "TOPIC",
      defaultValue = "render.commands.restyle",
      description = "Restyle command topic (default: ${DEFAULT-VALUE}).")
  String restyleTopic;

  @Option(
      names = "--act-one-topic",
      paramLabel = "TOPIC",
      defaultValue = "render.commands.act-one",
      description = "Act-one command topic (default: ${DEFAULT-VALUE}).")
  String actOneTopic;

  @Option(
      names = {"-v", "--verbose"},
      description = "Print stack traces with errors.")
  boolean verbose;

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public Optional<String> registryUrl() {
    return Optional.ofNullable(registryUrl).filter(s -> !s.isBlank());
  }

  public boolean verbose() {
    return verbose;
  }

  public Topics topics() {
    return new Topics(dltTopic, eventsTopic, restyleTopic, actOneTopic);
  }

  /** The --command-config properties (empty without the option). */
  public Map<String, String> clientProperties() {
    Map<String, String> out = new TreeMap<>();
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
}
