package io.renderrelay.devstack;

import io.renderrelay.devstack.kafka.EmbeddedKafka;
import io.renderrelay.devstack.kafka.EmbeddedKafkaConfig;
import io.renderrelay.devstack.registry.SchemaRegistryServer;
import io.renderrelay.devstack.s3.EmbeddedS3;
import io.renderrelay.devstack.s3.EmbeddedS3Config;
import io.renderrelay.devstack.simulator.ProviderSimulator;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default stack: a KRaft Kafka broker, an S3 server (with the default bucket), the
 * schema registry and the provider simulator, all in this JVM on 127.0.0.1.
 *
 * <p>{@link #start(DevStackConfig)} starts the components one after the other; if one fails, the
 * ones already started are closed again. {@link #close()} closes them in reverse order.
 */
public final class DevStack implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DevStack.class);

  private final DevStackConfig config;
  private final Deque<Closer> closers = new ArrayDeque<>();
  private final Map<String, Duration> startTimes = new LinkedHashMap<>();
  private EmbeddedKafka kafka;
  private EmbeddedS3 s3;
  private SchemaRegistryServer registry;
  private ProviderSimulator simulator;
  private Optional<String> registryUrl = Optional.empty();
  private Optional<String> providerUrl = Optional.empty();
  private boolean closed;

  private DevStack(DevStackConfig config) {
    this.config = config;
  }

  /** Starts every component and returns once all of them serve. */
  public static DevStack start(DevStackConfig config) {
    DevStack stack = new DevStack(config);
    try {
      stack.startAll();
      return stack;
    } catch (RuntimeException | Error e) {
      try {
        stack.close();
      } catch (RuntimeException closeFailure) {
        e.addSuppressed(closeFailure);
      }
      throw e;
    }
  }

  private void startAll() {
    long t0 = System.nanoTime();
    kafka = new EmbeddedKafka(kafkaConfig());
    startComponent("kafka", kafka::start, kafka::close);

    s3 = new EmbeddedS3(s3Config());
    startComponent("s3", s3::start, s3::close);
    s3.createBucket(config.bucket());

    registry = new SchemaRegistryServer(config.registryPort());
    startComponent("registry", registry::start, registry::close);
    registryUrl = Optional.of(registry.url());

    simulator =
        new ProviderSimulator(
            config.simulator().withPort(config.providerPort()).withTimeScale(config.timeScale()),
            Clock.systemUTC());
    startComponent("provider", simulator::start, simulator::close);
    providerUrl = Optional.of(simulator.baseUrl());

    startTimes.put("total", Duration.ofNanos(System.nanoTime() - t0));
    LOG.info("devstack started: {}", startTimesSummary());
  }

  /**
   * Starts one component, timing it; its closer is registered first so that a component that fails
   * half-way through its start is closed as well.
   */
  private void startComponent(String name, Starter starter, Closer closer) {
    closers.push(closer);
    long t0 = System.nanoTime();
    try {
      starter.start();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("devstack: " + name + " failed to start", e);
    }
    startTimes.put(name, Duration.ofNanos(System.nanoTime() - t0));
  }

  private EmbeddedKafkaConfig kafkaConfig() {
    EmbeddedKafkaConfig cfg = EmbeddedKafkaConfig.defaults().withPort(config.kafkaPort());
    return config.dataDir().map(d -> cfg.withLogDir(d.resolve("kafka"))).orElse(cfg);
  }

  private EmbeddedS3Config s3Config() {
    EmbeddedS3Config cfg = EmbeddedS3Config.defaults().withPort(config.s3Port());
    return config.dataDir().map(d -> cfg.withDataDir(d.resolve("s3"))).orElse(cfg);
  }

  /**
   * The line scripts wait for: {@code READY kafka=<host:port> registry=<url> s3=<url>
   * provider=<url>}; a component that is not part of this stack shows as {@code -}.
   */
  public String readyLine() {
    return "READY kafka="
        + kafka.bootstrapServers()
        + " registry="
        + registryUrl.orElse("-")
        + " s3="
        + s3.endpoint()
        + " provider="
        + providerUrl.orElse("-");
  }

  /** The broker (stop/start/restart it for chaos). */
  public EmbeddedKafka kafka() {
    return kafka;
  }

  /** The S3 server (stop/start/pause it for chaos). */
  public EmbeddedS3 s3() {
    return s3;
  }

  /** The schema registry server. */
  public SchemaRegistryServer registry() {
    return registry;
  }

  /** The provider simulator (its control knobs and counters). */
  public ProviderSimulator simulator() {
    return simulator;
  }

  /** The schema registry's base URL, once wired. */
  public Optional<String> registryUrl() {
    return registryUrl;
  }

  /** The provider simulator's base URL, once wired. */
  public Optional<String> providerUrl() {
    return providerUrl;
  }

  /** The bucket created at start. */
  public String bucket() {
    return config.bucket();
  }

  /** The configuration this stack runs with. */
  public DevStackConfig config() {
    return config;
  }

  /** Where data is kept, if it is kept. */
  public Optional<Path> dataDir() {
    return config.dataDir();
  }

  /** How long each component took to start, plus "total". */
  public Map<String, Duration> startTimes() {
    return Collections.unmodifiableMap(startTimes);
  }

  /** The start times as {@code kafka=1700ms s3=250ms total=1960ms}. */
  public String startTimesSummary() {
    StringBuilder sb = new StringBuilder();
    startTimes.forEach(
        (name, d) ->
            sb.append(sb.isEmpty() ? "" : " ")
                .append(name)
                .append('=')
                .append(d.toMillis())
                .append("ms"));
    return sb.toString();
  }

  /** Closes every started component in reverse start order; idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    RuntimeException failure = null;
    while (!closers.isEmpty()) {
      try {
        closers.pop().close();
      } catch (Exception e) {
        if (failure == null) {
          failure = new IllegalStateException("devstack: a component did not close cleanly", e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** Starts a component. */
  @FunctionalInterface
  private interface Starter {
    void start() throws Exception;
  }

  /** Closes a component. */
  @FunctionalInterface
  private interface Closer {
    void close() throws Exception;
  }
}
