package io.renderrelay.worker.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The restart loop with a real Kafka consumer whose broker is away (review rv5): its first broker
 * call blocks up to the client's API timeout, no consumer is built per failure faster than the
 * pause, and close wakes that call at once.
 */
class RestartingReaderIT {

  @Test
  void aReaderWhoseBrokerIsAwayBlocksInItsFirstCallAndCloseEndsItAtOnce() throws Exception {
    String nowhere = "127.0.0.1:" + freePort();
    AtomicInteger consumers = new AtomicInteger();
    CountDownLatch calling = new CountDownLatch(1);
    RestartingReader reader =
        new RestartingReader(
            "rr-it-reader",
            "a topic on a broker that is away",
            () -> {
              consumers.incrementAndGet();
              return consumer(nowhere);
            },
            (c, closed) -> {
              calling.countDown();
              c.partitionsFor("render.events"); // as FleetRenderTimes starts
              while (!closed.getAsBoolean()) {
                c.poll(Duration.ofMillis(100));
              }
            },
            Duration.ofMillis(100));
    reader.start();
    assertThat(calling.await(10, TimeUnit.SECONDS)).isTrue();
    Thread.sleep(2_000);
    assertThat(consumers.get()).as("one consumer, still waiting for the broker").isEqualTo(1);
    long start = System.nanoTime();
    reader.close();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    Thread.sleep(500);
    assertThat(consumers.get()).as("none after close").isEqualTo(1);
  }

  private static Consumer<byte[], byte[]> consumer(String bootstrap) {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ConsumerConfig.CLIENT_ID_CONFIG,
            "rr-it-reader",
            ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            60_000,
            ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG,
            200),
        new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
