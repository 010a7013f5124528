package io.renderrelay.devstack.kafka;

import io.renderrelay.devstack.EmbeddedServer;
import io.renderrelay.devstack.LocalPorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft Kafka (combined broker and controller) running inside this JVM.
 *
 * <p>It listens on 127.0.0.1 only, supports transactions on one node, has topic auto-creation off
 * and fits a small heap. {@link #stop()} then {@link #start()} (or {@link #restart()}) brings the
 * same broker back on the same ports with the same data, so clients reconnect by themselves.
 */
public final class EmbeddedKafka extends EmbeddedServer<KafkaRaftServer> {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

  private final EmbeddedKafkaConfig config;
  private final String clusterId = KRaftStorage.newClusterId();
  private int port;
  private int controllerPort;

  /** Prepares (does not start) a broker; nothing binds until {@link #start()}. */
  public EmbeddedKafka(EmbeddedKafkaConfig config) {
    super("embedded kafka", config.logDir(), "kafka");
    this.config = config;
  }

  @Override
  protected KafkaRaftServer startServer() {
    if (port == 0) {
      port = LocalPorts.resolve(config.port());
      controllerPort = LocalPorts.resolve(0);
    }
    KafkaConfig kafkaConfig = new KafkaConfig(brokerProperties());
    KRaftStorage.formatIfNeeded(kafkaConfig, clusterId, logDir());
    KafkaRaftServer s = new KafkaRaftServer(kafkaConfig, Time.SYSTEM);
    try {
      s.startup();
    } catch (RuntimeException e) {
      stopQuietly(s);
      throw new IllegalStateException(
          "embedded kafka failed to start on " + bootstrapServers() + " (log dir " + logDir() + ")",
          e);
    }
    return s;
  }

  @Override
  protected String address() {
    return bootstrapServers();
  }

  /** Stops then starts the broker on the same port and log directory. */
  public synchronized void restart() {
    stop();
    start();
  }

  /** {@code 127.0.0.1:<port>}; the port is known after the first {@link #start()}. */
  public synchronized String bootstrapServers() {
    if (port == 0) {
      throw new IllegalStateException("embedded kafka has not been started yet");
    }
    return LocalPorts.HOST + ":" + port;
  }

  /** The client port (known after the first start). */
  public synchronized int port() {
    return port;
  }

  /** Where the broker keeps its data. */
  public Path logDir() {
    return dataDirectory();
  }

  /**
   * Creates topics (replication factor 1) and waits for them; for tests and demos only, the worker
   * creates and validates its own topics.
   */
  public void createTopics(Map<String, Integer> partitionsByTopic) {
    List<NewTopic> topics =
        partitionsByTopic.entrySet().stream()
            .map(e -> new NewTopic(e.getKey(), e.getValue(), (short) 1))
            .toList();
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
      admin.createTopics(topics).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(
          "interrupted while creating topics " + partitionsByTopic.keySet(), e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot create topics " + partitionsByTopic.keySet(), e);
    }
  }

  private Properties brokerProperties() {
    String voters = "1@" + LocalPorts.HOST + ":" + controllerPort;
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", voters);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put(
        "listeners",
        "PLAINTEXT://"
            + LocalPorts.HOST
            + ":"
            + port
            + ",CONTROLLER://"
            + LocalPorts.HOST
            + ":"
            + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://" + LocalPorts.HOST + ":" + port);
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", logDir().toAbsolutePath().toString());
    p.put("auto.create.topics.enable", "false");
    p.put("num.partitions", "1");
    p.put("default.replication.factor", "1");
    p.put("min.insync.replicas", "1");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "10");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "10");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    // the worker's group uses the consumer protocol (KIP-848, enabled by default in Kafka 4); let
    // tests and chaos runs set a short session timeout on it (the broker's minimum is 45 s)
    p.put("group.consumer.min.session.timeout.ms", "2000");
    p.put("group.consumer.min.heartbeat.interval.ms", "500");
    p.put("log.cleaner.dedupe.buffer.size", String.valueOf(4L * 1024 * 1024));
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "4");
    p.putAll(config.brokerProps());
    return p;
  }

  /** Controlled shutdown. */
  @Override
  protected void stopQuietly(KafkaRaftServer s) {
    try {
      s.shutdown();
      s.awaitShutdown();
    } catch (RuntimeException e) {
      LOG.warn("embedded kafka did not shut down cleanly", e);
    }
  }
}
