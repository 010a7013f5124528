package io.renderrelay.worker.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class ConcurrentCopiesTest {

  @Test
  void copiesRunAtOnceAndComeBackInOrder() throws Exception {
    CountDownLatch allStarted = new CountDownLatch(3);
    ConcurrentCopies.Task<String> a = () -> awaitAll(allStarted, "video");
    ConcurrentCopies.Task<String> b = () -> awaitAll(allStarted, "poster");
    ConcurrentCopies.Task<String> c = () -> awaitAll(allStarted, "last-frame");

    // run one after the other, the first task would wait for the others and time out
    assertThat(ConcurrentCopies.all(List.of(a, b, c)))
        .containsExactly("video", "poster", "last-frame");
  }

  @Test
  void theFirstFailureInTaskOrderIsThrownAfterEveryCopyEnded() {
    AtomicInteger ended = new AtomicInteger();
    CountDownLatch laterFailed = new CountDownLatch(1);
    ConcurrentCopies.Task<String> video =
        () -> {
          awaitQuietly(laterFailed); // fails after the last frame did
          ended.incrementAndGet();
          throw new CopyException.Expired("video gone");
        };
    ConcurrentCopies.Task<String> poster =
        () -> {
          sleep(200);
          ended.incrementAndGet();
          return "poster";
        };
    ConcurrentCopies.Task<String> last =
        () -> {
          ended.incrementAndGet();
          laterFailed.countDown();
          throw new CopyException.Rejected("frame refused");
        };

    assertThatThrownBy(() -> ConcurrentCopies.all(List.of(video, poster, last)))
        .isInstanceOf(CopyException.Expired.class)
        .hasMessage("video gone");
    assertThat(ended).hasValue(3);
  }

  @Test
  void theCallersLogContextGoesWithEachCopy() throws Exception {
    MDC.put("jobId", "job-1");
    try {
      ConcurrentCopies.Task<String> seen = () -> MDC.get("jobId");
      assertThat(ConcurrentCopies.all(List.of(seen, seen))).containsExactly("job-1", "job-1");
    } finally {
      MDC.remove("jobId");
    }
  }

  @Test
  void anInterruptStopsTheCopiesAndIsRetryable() throws Exception {
    CountDownLatch started = new CountDownLatch(2);
    AtomicInteger interruptedCopies = new AtomicInteger();
    ConcurrentCopies.Task<String> blocked =
        () -> {
          started.countDown();
          try {
            Thread.sleep(60_000);
            return "never";
          } catch (InterruptedException e) {
            interruptedCopies.incrementAndGet();
            throw new CopyException.Retryable("interrupted", e);
          }
        };
    Thread caller = Thread.currentThread();
    Thread interrupter =
        Thread.ofVirtual()
            .start(
                () -> {
                  awaitQuietly(started);
                  caller.interrupt();
                });
    try {
      assertThatThrownBy(() -> ConcurrentCopies.all(List.of(blocked, blocked)))
          .isInstanceOf(CopyException.Retryable.class);
      assertThat(Thread.interrupted()).isTrue();
      assertThat(interruptedCopies).hasValue(2);
    } finally {
      interrupter.join(10_000);
      Thread.interrupted();
    }
  }

  private static String awaitAll(CountDownLatch all, String result) throws CopyException {
    all.countDown();
    try {
      if (!all.await(10, TimeUnit.SECONDS)) {
        throw new CopyException.Retryable("the other copies never started", null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CopyException.Retryable("interrupted", e);
    }
    return result;
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
