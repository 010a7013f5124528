package io.renderrelay.e2e;

import io.renderrelay.devstack.DevStack;
import io.renderrelay.devstack.simulator.ProviderSimulator;
import io.renderrelay.devstack.simulator.SimulatorConfig;
import java.time.Clock;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One IT class's (or test's) part of a shared stack: a provider simulator of its own, a bucket, and
 * topic names and a consumer group prefixed with {@link #name()}, so that nothing one class leaves
 * behind (commands, poll tickets, ledger records, spend journal, committed offsets) reaches
 * another. Also the command publisher, event collector and S3 reader on those topics and bucket.
 */
final class Lane implements AutoCloseable {

  private final DevStack stack;
  private final String name;
  private final ProviderSimulator simulator;
  private final Commands commands;
  private final EventCollector events;
  private final S3Objects s3;

  private Lane(DevStack stack, String name, ProviderSimulator simulator) {
    this.stack = stack;
    this.name = name;
    this.simulator = simulator;
    stack.s3().createBucket(name);
    String kafka = stack.kafka().bootstrapServers();
    String registry = stack.registryUrl().orElseThrow();
    this.commands =
        new Commands(kafka, registry, topic(Commands.RESTYLE_TOPIC), topic(Commands.ACT_ONE_TOPIC));
    this.events = new EventCollector(kafka, registry, topic(EventCollector.EVENTS_TOPIC));
    this.s3 = new S3Objects(stack, name);
  }

  /** Starts a simulator with {@code config} and opens a lane named after {@code className}. */
  static Lane open(DevStack stack, SimulatorConfig config, String className) {
    String suffix = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    String name = E2eStack.laneName(className) + "-" + suffix;
    ProviderSimulator sim = new ProviderSimulator(config.withPort(0), Clock.systemUTC()).start();
    try {
      return new Lane(stack, name, sim);
    } catch (RuntimeException e) {
      sim.close();
      throw e;
    }
  }

  /** The prefix of this lane's topics, its consumer group and its bucket. */
  String name() {
    return name;
  }

  /** This lane's name for a topic of the default layout ({@code render.dlt} etc.). */
  String topic(String defaultName) {
    return name + "." + defaultName;
  }

  /** The bucket the lane's workers write to. */
  String bucket() {
    return name;
  }

  ProviderSimulator simulator() {
    return simulator;
  }

  Commands commands() {
    return commands;
  }

  EventCollector events() {
    return events;
  }

  S3Objects s3() {
    return s3;
  }

  /**
   * The e2e worker settings ({@link WorkerSettings}) pointed at this lane: its simulator, bucket,
   * topics (the default names with the lane's prefix) and consumer group.
   */
  WorkerSettings settings(String instanceId) {
    return new WorkerSettings(stack, instanceId)
        .withEnv("RENDER_RELAY_PROVIDER_API_KEY", simulator.config().apiKey())
        .with("provider.base-url", simulator.baseUrl())
        .with("storage.bucket", name)
        .with("kafka.group-id", name)
        .with("topics.restyle-commands", topic(Commands.RESTYLE_TOPIC))
        .with("topics.act-one-commands", topic(Commands.ACT_ONE_TOPIC))
        .with("topics.events", topic(EventCollector.EVENTS_TOPIC))
        .with("topics.dead-letter", topic("render.dlt"))
        .with("topics.jobs", topic("render.jobs"))
        .with("topics.poll-now", topic("render.poll.now"))
        .with("topics.replicas", topic("render.replicas"))
        .with("spend.topic", topic("render.spend"))
        .with("poll.tiers", pollTiers("render.poll.1s:1s:10,render.poll.3s:3s:0"));
  }

  /** {@code tiers} (topic:delay:attempts,...) with this lane's topic names. */
  String pollTiers(String tiers) {
    return (name + "." + tiers).replace(",", "," + name + ".");
  }

  @Override
  public void close() throws Exception {
    Closing.all(s3, events, commands, simulator);
  }
}
