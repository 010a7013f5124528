package io.renderrelay.worker.kafka;

import io.renderrelay.worker.config.WorkerConfig.KafkaSettings;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The one place Kafka clients are built. Every client gets the configured overrides (security
 * protocol, SASL, TLS) on top of the settings the worker's guarantees depend on.
 */
public final class KafkaClientFactory {

  private final KafkaSettings settings;
  private final String instanceId;

  public KafkaClientFactory(KafkaSettings settings, String instanceId) {
    this.settings = settings;
    this.instanceId = instanceId;
  }

  /**
   * The pipeline consumer: read_committed, manual commits through transactions, co-partitioned. It
   * uses Kafka 4's consumer group protocol (KIP-848) with the server-side range assignor:
   * rebalances are incremental (only the partitions that move are revoked) and the same partition
   * number of every subscribed topic goes to the same member. Session timeout and heartbeat
   * interval are group settings under this protocol ({@link GroupSettings}), not client ones.
   */
  /** The pipeline consumer's fetch long-poll: the most a resumed tier partition waits for data. */
  static final int PIPELINE_FETCH_MAX_WAIT_MS = 50;

  public Consumer<byte[], byte[]> pipelineConsumer() {
    Map<String, Object> p = base();
    p.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, GroupSettings.PROTOCOL);
    p.put(ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG, GroupSettings.ASSIGNOR);
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
    // A delay-topic partition resumed when its head falls due is fetched anew (the hold seeks
    // back); with the default 500 ms long poll it waits behind the outstanding fetch to the same
    // broker, which made tickets up to half a second late (issue 15).
    p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, PIPELINE_FETCH_MAX_WAIT_MS);
    p.putAll(GroupSettings.consumerOverrides(settings.clientOverrides()));
    // never overridden: the job lookup finds a partition's owner by this id (JobOwners)
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, pipelineClientId());
    return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** The pipeline consumer's client id, as the group coordinator reports the member. */
  public String pipelineClientId() {
    return "rr-pipeline-" + instanceId;
  }

  /** A group-less, read_committed consumer for restoring the ledger and for tools. */
  public Consumer<byte[], byte[]> assignedConsumer(String purpose) {
    return assigned(purpose, Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000));
  }

  /**
   * A consumer for reading whole partitions fast (ledger restore): as {@link #assignedConsumer},
   * with larger fetches and polls.
   */
  public Consumer<byte[], byte[]> bulkReader(String purpose) {
    return assigned(
        purpose,
        Map.of(
            ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000,
            ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024,
            ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024,
            // as Kafka's ConsumerPerformance (--socket-buffer-size): large fetches in fewer reads
            ConsumerConfig.RECEIVE_BUFFER_CONFIG, 2 * 1024 * 1024));
  }

  private Consumer<byte[], byte[]> assigned(String purpose, Map<String, Object> tuning) {
    Map<String, Object> p = base();
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "rr-" + purpose + "-" + instanceId);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.putAll(tuning);
    p.putAll(settings.clientOverrides());
    return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** The pipeline's transactional producer; its id is stable per instance so zombies are fenced. */
  public Producer<byte[], byte[]> transactionalProducer() {
    Map<String, Object> p = base();
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "rr-tx-" + instanceId);
    p.put(
        ProducerConfig.TRANSACTIONAL_ID_CONFIG,
        settings.transactionalIdPrefix() + "-" + instanceId);
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
    p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 60_000);
    p.putAll(settings.clientOverrides());
    Producer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    producer.initTransactions();
    return producer;
  }

  /** An idempotent, non-transactional producer (callback tickets, tools). */
  public Producer<byte[], byte[]> plainProducer(String purpose) {
    Map<String, Object> p = base();
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "rr-" + purpose + "-" + instanceId);
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 1);
    p.putAll(settings.clientOverrides());
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  public Admin admin() {
    Map<String, Object> p = base();
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, "rr-admin-" + instanceId);
    p.putAll(settings.clientOverrides());
    return Admin.create(p);
  }

  private Map<String, Object> base() {
    Map<String, Object> p = new HashMap<>();
    p.put("bootstrap.servers", settings.bootstrapServers());
    return p;
  }
}
