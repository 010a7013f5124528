package io.renderrelay.worker.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.renderrelay.worker.retry.Backoff;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RetryingCopierTest {
  private static final URI SRC = URI.create("https://cdn.test/v.mp4");
  private static final CopiedObject OK = new CopiedObject("b", "k", 1, "ab", "video/mp4");

  private final List<Duration> slept = new ArrayList<>();
  private final RecordingMetrics metrics = new RecordingMetrics();
  private final Backoff backoff =
      Backoff.doubling(Duration.ofMillis(200), Duration.ofSeconds(2), new Random(7));

  /** A delegate that plays a script of failures then maybe a success. */
  private static final class Scripted implements RenderCopier {
    final Deque<CopyException> failures = new ArrayDeque<>();
    final List<PriorCopies> priors = new ArrayList<>();
    int calls;

    @Override
    public CopiedObject copy(URI source, String key, String type, PriorCopies prior)
        throws CopyException {
      calls++;
      priors.add(prior);
      CopyException next = failures.poll();
      if (next != null) {
        throw next;
      }
      return OK;
    }
  }

  private RetryingCopier retrying(Scripted delegate, int attempts) {
    return new RetryingCopier(delegate, backoff, attempts, slept::add, metrics);
  }

  @Test
  void onlyTheFirstAttemptTrustsTheCallerThatNothingWasWritten() throws Exception {
    Scripted d = new Scripted();
    d.failures.add(new CopyException.Retryable("reset mid-upload", null));
    retrying(d, 3).copy(SRC, "k", "video/mp4", PriorCopies.NONE);
    assertThat(d.priors).containsExactly(PriorCopies.NONE, PriorCopies.POSSIBLE);
  }

  @Test
  void retriesRetryableUntilSuccess() throws Exception {
    Scripted d = new Scripted();
    d.failures.add(new CopyException.Retryable("s3 503", null));
    d.failures.add(new CopyException.Retryable("reset", null));
    assertThat(retrying(d, 4).copy(SRC, "k", "video/mp4")).isEqualTo(OK);
    assertThat(d.calls).isEqualTo(3);
    assertThat(slept).hasSize(2);
    // full jitter (retry.Backoff): each wait in [0, ceiling], the ceiling doubling
    assertThat(slept.get(0)).isBetween(Duration.ZERO, Duration.ofMillis(200));
    assertThat(slept.get(1)).isBetween(Duration.ZERO, Duration.ofMillis(400));
    assertThat(metrics.retries).isEqualTo(slept);
  }

  @Test
  void givesUpAfterMaxAttemptsWithTheLastCause() {
    Scripted d = new Scripted();
    for (int i = 0; i < 5; i++) {
      d.failures.add(new CopyException.Retryable("failure " + i, null));
    }
    assertThatThrownBy(() -> retrying(d, 3).copy(SRC, "k", "video/mp4"))
        .isInstanceOf(CopyException.Retryable.class)
        .hasMessage("copy to k failed after 3 attempts: failure 2")
        .cause()
        .hasMessage("failure 2");
    assertThat(d.calls).isEqualTo(3);
    assertThat(slept).hasSize(2);
  }

  @Test
  void neverRetriesExpiredOrRejected() {
    for (CopyException terminal :
        List.of(new CopyException.Expired("gone"), new CopyException.Rejected("private"))) {
      Scripted d = new Scripted();
      d.failures.add(terminal);
      assertThatThrownBy(() -> retrying(d, 5).copy(SRC, "k", "video/mp4")).isSameAs(terminal);
      assertThat(d.calls).isEqualTo(1);
    }
    assertThat(slept).isEmpty();
  }

  @Test
  void interruptionWhileBackingOffStopsAndKeepsTheFlag() {
    Scripted d = new Scripted();
    d.failures.add(new CopyException.Retryable("503", null));
    var copier =
        new RetryingCopier(
            d,
            backoff,
            3,
            x -> {
              throw new InterruptedException();
            },
            metrics);
    try {
      assertThatThrownBy(() -> copier.copy(SRC, "k", "video/mp4"))
          .isInstanceOf(CopyException.Retryable.class)
          .hasMessageContaining("interrupted");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
      assertThat(d.calls).isEqualTo(1);
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void rejectsBadSettings() {
    assertThatThrownBy(() -> retrying(new Scripted(), 0)).hasMessageContaining("at least 1");
  }
}
