package io.renderrelay.worker.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.worker.kafka.TestBroker;
import io.renderrelay.worker.ledger.LedgerTopic;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The probe against a real broker: a LogAppendTime ledger topic tells the broker's clock. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrokerClockProbeIT {

  private KafkaClusterTestKit cluster;
  private Admin admin;
  private Producer<byte[], byte[]> producer;

  @BeforeAll
  void start() throws Exception {
    cluster = TestBroker.start(Map.of());
    admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()));
    admin
        .createTopics(
            List.of(
                new NewTopic("render.jobs", 2, (short) 1).configs(LedgerTopic.CONFIGS),
                new NewTopic("old.jobs", 2, (short) 1)))
        .all()
        .get(60, TimeUnit.SECONDS);
    producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", cluster.bootstrapServers(), "acks", "all"),
            new ByteArraySerializer(),
            new ByteArraySerializer());
  }

  @AfterAll
  void stop() throws Exception {
    producer.close();
    admin.close();
    cluster.close();
  }

  @Test
  void aMachineTenMinutesAheadLearnsTheBrokersClockWithinTheRoundTrip() {
    assertThat(BrokerClockProbe.brokerStamps(admin, "render.jobs", Duration.ofSeconds(10)))
        .isTrue();
    Duration ahead = Duration.ofMinutes(10);
    Clock local = Clock.offset(Clock.systemUTC(), ahead);
    OffsetEstimator estimator = new OffsetEstimator(Duration.ofMinutes(10));
    BrokerClockProbe probe =
        new BrokerClockProbe(
            producer,
            "render.jobs",
            "w-1",
            local,
            estimator,
            BrokerClockProbe.Listener.NONE,
            Duration.ofSeconds(10));
    OffsetEstimator.Estimate e = probe.calibrate(5).orElseThrow();
    // the broker runs on this machine's real clock: the offset is minus the skew
    assertThat(e.offset().plus(ahead).abs()).isLessThanOrEqualTo(e.uncertainty().plusMillis(2));
    FleetClock fleet = new FleetClock(local, estimator);
    assertThat(Duration.between(Clock.systemUTC().instant(), fleet.instant()).abs())
        .isLessThan(Duration.ofSeconds(1));
  }

  @Test
  void aCreateTimeTopicIsReportedAndTeachesNoOffset() {
    assertThat(BrokerClockProbe.brokerStamps(admin, "old.jobs", Duration.ofSeconds(10))).isFalse();
    OffsetEstimator estimator = new OffsetEstimator(Duration.ofMinutes(10));
    new BrokerClockProbe(
            producer,
            "old.jobs",
            "w-1",
            Clock.offset(Clock.systemUTC(), Duration.ofMinutes(10)),
            estimator,
            BrokerClockProbe.Listener.NONE,
            Duration.ofSeconds(10))
        .calibrate(3);
    // the acknowledgement carries the probe's own timestamp back: no correction
    assertThat(estimator.offset().abs()).isLessThan(Duration.ofSeconds(1));
  }
}
