package io.renderrelay.worker.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PauseAwareWaitTest {

  /**
   * The process is frozen for 5 s during the wait (the monotonic clock jumps by 5 s within one
   * slice) and the answer arrived meanwhile: it is read, not turned into a timeout.
   */
  @Test
  void anAnswerThatArrivedWhileTheProcessWasFrozenIsRead() throws Exception {
    CompletableFuture<String> answer = new CompletableFuture<>();
    AtomicLong frozen = new AtomicLong();
    AtomicInteger reads = new AtomicInteger();
    PauseAwareWait wait =
        new PauseAwareWait(
            () -> {
              if (reads.incrementAndGet() == 4) {
                // SIGSTOP for 5 s; the provider answered during the freeze, and the client's
                // selector reads that answer a moment after SIGCONT (after this thread woke)
                frozen.set(Duration.ofSeconds(5).toNanos());
                CompletableFuture.delayedExecutor(60, TimeUnit.MILLISECONDS)
                    .execute(() -> answer.complete("task-1"));
              }
              return System.nanoTime() + frozen.get();
            },
            Duration.ofMillis(20),
            Duration.ofMillis(200));
    assertThat(wait.await(answer, Duration.ofMillis(300))).isEqualTo("task-1");
  }

  /**
   * Review b12x, seen in the stall scenario: a worker SIGCONTinued after its partitions moved has
   * its running steps interrupted; a submit whose POST had gone out lost the answer that was on its
   * way, said nothing, and the next owner declared the paid job AMBIGUOUS 60 s later. The answer is
   * read after an interrupt (within the request timeout), and the interrupt is kept.
   */
  @Test
  void anInterruptDuringTheWaitStillReadsTheAnswerAndKeepsTheInterrupt() throws Exception {
    CompletableFuture<String> answer = new CompletableFuture<>();
    PauseAwareWait wait =
        new PauseAwareWait(System::nanoTime, Duration.ofMillis(20), Duration.ofMillis(200));
    Thread waiter = Thread.currentThread();
    CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS).execute(waiter::interrupt);
    CompletableFuture.delayedExecutor(150, TimeUnit.MILLISECONDS)
        .execute(() -> answer.complete("task-9"));
    try {
      assertThat(wait.await(answer, Duration.ofSeconds(5), true)).isEqualTo("task-9");
      assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is kept").isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void aSilentProviderStillTimesOutAfterTheRunningTimeAndTheExchangeIsCancelled() {
    CompletableFuture<String> never = new CompletableFuture<>();
    PauseAwareWait wait =
        new PauseAwareWait(System::nanoTime, Duration.ofMillis(20), Duration.ofMillis(200));
    long started = System.nanoTime();
    assertThatThrownBy(() -> wait.await(never, Duration.ofMillis(150)))
        .isInstanceOf(HttpTimeoutException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isBetween(Duration.ofMillis(140), Duration.ofSeconds(3));
    assertThat(never).isCancelled();
  }

  @Test
  void aPauseExtendsTheWaitOnlyByItsOwnLength() {
    CompletableFuture<String> never = new CompletableFuture<>();
    AtomicLong frozen = new AtomicLong();
    AtomicInteger reads = new AtomicInteger();
    PauseAwareWait wait =
        new PauseAwareWait(
            () -> {
              if (reads.incrementAndGet() == 3) {
                frozen.set(Duration.ofSeconds(30).toNanos());
              }
              return System.nanoTime() + frozen.get();
            },
            Duration.ofMillis(20),
            Duration.ofMillis(200));
    long started = System.nanoTime();
    assertThatThrownBy(() -> wait.await(never, Duration.ofMillis(200)))
        .isInstanceOf(HttpTimeoutException.class);
    // 200 ms of running time, whatever the 30 s freeze
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isBetween(Duration.ofMillis(180), Duration.ofSeconds(3));
  }

  @Test
  void aFailedExchangeIsReportedAsItsCause() {
    CompletableFuture<String> failed =
        CompletableFuture.failedFuture(new java.io.IOException("connection reset"));
    PauseAwareWait wait = new PauseAwareWait();
    assertThatThrownBy(() -> wait.await(failed, Duration.ofSeconds(1)))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(java.io.IOException.class);
  }

  @Test
  void anInterruptedPollWaitCancelsTheExchange() {
    CompletableFuture<String> never = new CompletableFuture<>();
    Thread.currentThread().interrupt();
    assertThatThrownBy(() -> new PauseAwareWait().await(never, Duration.ofSeconds(5)))
        .isInstanceOf(InterruptedException.class);
    assertThat(never).isCancelled();
  }
}
