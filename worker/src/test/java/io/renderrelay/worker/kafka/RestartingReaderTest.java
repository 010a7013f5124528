package io.renderrelay.worker.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.errors.WakeupException;
import org.junit.jupiter.api.Test;

/** The restart loop of a background topic reader (review rv5): failures, close, races. */
class RestartingReaderTest {

  private final List<BlockingConsumer> made = new CopyOnWriteArrayList<>();

  @Test
  void aFailureAndAnErrorEachStartOverWithANewConsumerAndCloseTheOldOne() throws Exception {
    AtomicInteger follows = new AtomicInteger();
    RestartingReader reader =
        reader(
            (c, closed) -> {
              switch (follows.incrementAndGet()) {
                case 1 -> throw new KafkaException("broker went away");
                case 2 -> throw new StackOverflowError("a bug in the reader");
                default -> pollUntil(c, closed);
              }
            },
            Duration.ofMillis(10));
    reader.start();
    try {
      await("a third consumer reading", () -> follows.get() >= 3);
      assertThat(made.get(0).closed()).isTrue();
      assertThat(made.get(1).closed()).isTrue();
      assertThat(made.get(2).closed()).isFalse();
    } finally {
      reader.close();
    }
    assertThat(made).hasSize(3).allSatisfy(c -> assertThat(c.closed()).isTrue());
  }

  @Test
  void closeWakesAReaderBlockedInPollAtOnce() throws Exception {
    CountDownLatch polling = new CountDownLatch(1);
    RestartingReader reader =
        reader(
            (c, closed) -> {
              polling.countDown();
              while (!closed.getAsBoolean()) {
                c.poll(Duration.ofSeconds(30)); // blocks until woken
              }
            },
            Duration.ofMillis(10));
    reader.start();
    assertThat(polling.await(5, TimeUnit.SECONDS)).isTrue();
    long start = System.nanoTime();
    reader.close();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    assertThat(made).hasSize(1);
    assertThat(made.get(0).closed()).isTrue();
  }

  // the broker is down: each consumer fails at once; the loop waits its pause between consumers
  // instead of building consumers as fast as it can, and a close during the pause makes no more
  @Test
  void aBrokerThatIsDownCostsOneConsumerAPauseAndCloseDuringThePauseEndsTheLoop() throws Exception {
    RestartingReader reader =
        reader(
            (c, closed) -> {
              throw new org.apache.kafka.common.errors.TimeoutException("no broker");
            },
            Duration.ofMillis(200));
    reader.start();
    Thread.sleep(1_000);
    assertThat(made.size()).as("consumers in 1 s with a 200 ms pause").isBetween(1, 7);
    long start = System.nanoTime();
    reader.close();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    int after = made.size();
    Thread.sleep(500);
    assertThat(made).hasSize(after).allSatisfy(c -> assertThat(c.closed()).isTrue());
  }

  // a close while the next consumer is being built: its wakeup went to the old consumer, and the
  // new one then blocked in its first broker call (partitionsFor, up to the client's API timeout
  // while the broker is away) after close had given up waiting for the thread
  @Test
  void aCloseWhileTheNextConsumerIsBuiltLeavesNoReaderBlockedBehindIt() throws Exception {
    CountDownLatch building = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger built = new AtomicInteger();
    RestartingReader reader =
        new RestartingReader(
            "rr-test-reader",
            "a test topic",
            () -> {
              BlockingConsumer c = new BlockingConsumer();
              if (built.incrementAndGet() == 2) {
                building.countDown();
                awaitQuietly(release);
              }
              made.add(c);
              return c;
            },
            (c, closed) -> {
              if (made.size() == 1) {
                throw new KafkaException("broker went away");
              }
              c.partitionsFor("t"); // the setup's first broker call, blind to closed
              pollUntil(c, closed);
            },
            Duration.ofMillis(10));
    reader.start();
    assertThat(building.await(5, TimeUnit.SECONDS)).isTrue();
    Thread closer =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    reader.close();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    Thread.sleep(200); // close has set closed and woken the old consumer
    release.countDown();
    closer.join(Duration.ofSeconds(10));
    assertThat(closer.isAlive()).isFalse();
    await("the second consumer closed", () -> made.size() == 2 && made.get(1).closed());
  }

  private RestartingReader reader(RestartingReader.Follow follow, Duration pause) {
    return new RestartingReader(
        "rr-test-reader",
        "a test topic",
        () -> {
          BlockingConsumer c = new BlockingConsumer();
          made.add(c);
          return c;
        },
        follow,
        pause);
  }

  private static void pollUntil(
      org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> c, BooleanSupplier closed) {
    while (!closed.getAsBoolean()) {
      c.poll(Duration.ofMillis(20));
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void await(String what, BooleanSupplier done) throws InterruptedException {
    long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!done.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what + " within 10 s").isLessThan(until);
      Thread.sleep(10);
    }
  }

  /**
   * A consumer whose broker calls block as a real one's do while the broker is away (poll for its
   * timeout, partitionsFor up to a long API timeout), and end with a WakeupException when woken.
   */
  private static final class BlockingConsumer extends MockConsumer<byte[], byte[]> {
    private final CountDownLatch woken = new CountDownLatch(1);

    BlockingConsumer() {
      super("earliest");
    }

    @Override
    public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
      block(timeout);
      return ConsumerRecords.empty();
    }

    @Override
    public List<PartitionInfo> partitionsFor(String topic) {
      block(Duration.ofSeconds(30));
      return List.of();
    }

    private void block(Duration timeout) {
      try {
        if (woken.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          throw new WakeupException();
        }
      } catch (InterruptedException e) {
        throw new org.apache.kafka.common.errors.InterruptException(e);
      }
    }

    @Override
    public void wakeup() {
      woken.countDown();
    }
  }
}
