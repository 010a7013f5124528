package io.renderrelay.worker.timeline;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Learns the broker's clock: a tombstone (key {@value #KEY_PREFIX}{@code <instance>}, which no
 * jobId can be: a jobId has no '/') is produced to the ledger topic, whose records the broker
 * stamps with its own clock ({@code LogAppendTime}); the acknowledgement carries that stamp, taken
 * between the send and the acknowledgement. A tombstone of a key no job has changes no ledger
 * state, and compaction removes it. Runs at startup (before the pipeline takes work) and then at a
 * fixed interval; feeds an {@link OffsetEstimator}.
 */
public final class BrokerClockProbe {

  private static final Logger log = LoggerFactory.getLogger(BrokerClockProbe.class);

  /** The key prefix of the probe tombstones. */
  public static final String KEY_PREFIX = "rr.clock-probe/";

  /** An offset larger than this is logged as a warning (and shows on the offset metric). */
  public static final Duration LARGE_OFFSET = Duration.ofSeconds(5);

  /** Where the estimate goes besides the estimator (metrics). */
  public interface Listener {
    void brokerClockOffset(Duration offset, Duration uncertainty);

    Listener NONE = (o, u) -> {};
  }

  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final byte[] key;
  private final Clock local;
  private final OffsetEstimator estimator;
  private final Listener listener;
  private final Duration timeout;
  private volatile boolean warned;

  public BrokerClockProbe(
      Producer<byte[], byte[]> producer,
      String topic,
      String instanceId,
      Clock local,
      OffsetEstimator estimator,
      Listener listener,
      Duration timeout) {
    this.producer = producer;
    this.topic = topic;
    this.key = (KEY_PREFIX + instanceId).getBytes(StandardCharsets.UTF_8);
    this.local = local;
    this.estimator = estimator;
    this.listener = listener;
    this.timeout = timeout;
  }

  /**
   * True when the broker stamps {@code topic}'s records with its own clock. Otherwise logs a
   * warning: the worker then runs on its own clock, and deadlines and due times depend on the
   * fleet's clocks agreeing (NTP).
   */
  public static boolean brokerStamps(Admin admin, String topic, Duration timeout) {
    ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    String type;
    try {
      Map<ConfigResource, Config> configs =
          admin.describeConfigs(List.of(r)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      ConfigEntry e = configs.get(r).get(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG);
      type = e == null ? "CreateTime" : e.value();
    } catch (ExecutionException | TimeoutException e) {
      log.warn("clock: cannot read {}'s timestamp type ({}): using this machine's clock", topic, e);
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    if ("LogAppendTime".equals(type)) {
      return true;
    }
    log.warn(
        "clock: topic {} has {}={}, so the broker's clock cannot be learnt: deadlines, due times and"
            + " grace periods use this machine's clock and depend on the fleet's clocks agreeing."
            + " Set it to LogAppendTime (kafka-configs --alter --entity-type topics --entity-name"
            + " {} --add-config {}=LogAppendTime) and restart the workers.",
        topic,
        TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG,
        type,
        topic,
        TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG);
    return false;
  }

  /** Probes {@code rounds} times in a row (startup); returns the estimate, if any probe worked. */
  public Optional<OffsetEstimator.Estimate> calibrate(int rounds) {
    Optional<OffsetEstimator.Estimate> e = Optional.empty();
    for (int i = 0; i < rounds; i++) {
      e = probe().or(() -> estimator.estimate());
    }
    e.ifPresentOrElse(
        est ->
            log.info(
                "clock: broker clock minus this machine's is {} ms (+/- {} ms); deadlines, due times"
                    + " and grace periods use the broker's timeline",
                est.offset().toMillis(),
                est.uncertainty().toMillis()),
        () -> log.warn("clock: no probe of the broker's clock worked yet: using this machine's"));
    return e;
  }

  /** Probes every {@code every} on {@code executor}. */
  public void start(ScheduledExecutorService executor, Duration every) {
    executor.scheduleWithFixedDelay(
        this::probe, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** One round trip; empty when it failed (the estimate stays what it was). */
  public Optional<OffsetEstimator.Estimate> probe() {
    try {
      Instant sent = local.instant();
      RecordMetadata m =
          producer
              .send(
                  new ProducerRecord<byte[], byte[]>(
                      topic, null, sent.toEpochMilli(), key, (byte[]) null))
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      Instant acked = local.instant();
      if (acked.isBefore(sent)) {
        return Optional.empty(); // this machine's clock was stepped back meanwhile
      }
      OffsetEstimator.Estimate e =
          estimator.add(new ClockSample(sent, acked, Instant.ofEpochMilli(m.timestamp())));
      listener.brokerClockOffset(e.offset(), e.uncertainty());
      warnIfLarge(e);
      return Optional.of(e);
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      log.debug("clock: probe failed: {}", e.toString());
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private void warnIfLarge(OffsetEstimator.Estimate e) {
    boolean large = e.offset().abs().compareTo(LARGE_OFFSET) > 0;
    if (large && !warned) {
      log.warn(
          "clock: this machine's clock minus the Kafka broker's is {} ms (+/- {} ms): the worker"
              + " corrects for it, but check NTP on this machine",
          -e.offset().toMillis(),
          e.uncertainty().toMillis());
    }
    warned = large;
  }
}
