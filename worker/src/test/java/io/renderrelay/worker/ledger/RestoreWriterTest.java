package io.renderrelay.worker.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The restore's store writes run in order off the fetching thread, bounded, and stop at a failure.
 */
class RestoreWriterTest {

  @Test
  void writesRunInOrderOnTheWriterThread() {
    List<String> ran = new CopyOnWriteArrayList<>();
    try (RestoreWriter writer = new RestoreWriter("writer-test", 2)) {
      for (int i = 0; i < 50; i++) {
        int n = i;
        writer.submit(() -> ran.add(Thread.currentThread().getName() + ":" + n));
      }
      writer.drain();
    }
    assertThat(ran).hasSize(50);
    for (int i = 0; i < 50; i++) {
      assertThat(ran.get(i)).isEqualTo("writer-test:" + i);
    }
  }

  @Test
  void nothingQueuedAfterAFailedWriteRunsAndTheFailureReachesTheCaller() {
    List<Integer> ran = new CopyOnWriteArrayList<>();
    CountDownLatch queued = new CountDownLatch(1);
    RestoreWriter writer = new RestoreWriter("writer-test", 8);
    writer.submit(
        () -> {
          awaitQuietly(queued); // the failure may not happen before all three are queued
          ran.add(1);
        });
    writer.submit(
        () -> {
          throw new UnknownWriterSchemaException("newer release", null);
        });
    writer.submit(() -> ran.add(3)); // e.g. "caught up": must not be reported
    queued.countDown();
    assertThatThrownBy(writer::drain).isInstanceOf(UnknownWriterSchemaException.class);
    writer.close();
    assertThat(ran).containsExactly(1);
  }

  @Test
  void submitWaitsWhileDepthWritesAreQueued() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (RestoreWriter writer = new RestoreWriter("writer-test", 1)) {
      writer.submit(() -> awaitQuietly(release));
      CompletableFuture<Void> second = CompletableFuture.runAsync(() -> writer.submit(() -> {}));
      Thread.sleep(300);
      assertThat(second).as("held while the first write runs").isNotDone();
      release.countDown();
      second.get(10, TimeUnit.SECONDS);
      writer.drain();
    }
  }

  @Test
  void closeWaitsForTheWriteRunning() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    List<String> ran = new CopyOnWriteArrayList<>();
    RestoreWriter writer = new RestoreWriter("writer-test", 2);
    writer.submit(
        () -> {
          started.countDown();
          try {
            Thread.sleep(300);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          ran.add("done");
        });
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    writer.close();
    assertThat(ran).containsExactly("done");
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
