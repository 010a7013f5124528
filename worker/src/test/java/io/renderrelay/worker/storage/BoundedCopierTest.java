package io.renderrelay.worker.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class BoundedCopierTest {

  private static final URI SOURCE = URI.create("https://cdn.example.com/out.mp4");

  @Test
  void noMoreThanPermitsCopiesRunAtOnce() throws Exception {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    CountDownLatch twoIn = new CountDownLatch(2);
    CountDownLatch release = new CountDownLatch(1);
    RenderCopier slow =
        (source, key, type, prior) -> {
          peak.accumulateAndGet(running.incrementAndGet(), Math::max);
          twoIn.countDown();
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          running.decrementAndGet();
          return new CopiedObject("b", key, 1, "00", type);
        };
    BoundedCopier bounded = new BoundedCopier(slow, 2);
    List<Future<CopiedObject>> copies = new ArrayList<>();
    try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 6; i++) {
        String key = "k" + i;
        copies.add(pool.submit(() -> bounded.copy(SOURCE, key, "video/mp4")));
      }
      assertThat(twoIn.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(running.get()).isEqualTo(2);
      release.countDown();
      for (Future<CopiedObject> f : copies) {
        assertThat(f.get(10, TimeUnit.SECONDS).bucket()).isEqualTo("b");
      }
    }
    assertThat(peak.get()).isEqualTo(2);
  }

  @Test
  void aFailedCopyGivesItsPermitBack() throws Exception {
    BoundedCopier bounded =
        new BoundedCopier(
            (s, k, t, p) -> {
              throw new CopyException.Rejected("no");
            },
            1);
    assertThatThrownBy(() -> bounded.copy(SOURCE, "a", "video/mp4"))
        .isInstanceOf(CopyException.Rejected.class);
    assertThatThrownBy(() -> bounded.copy(SOURCE, "b", "video/mp4"))
        .isInstanceOf(CopyException.Rejected.class);
  }

  @Test
  void permitsFollowTheHeapWithinBounds() {
    long mib = 1L << 20;
    assertThat(BoundedCopier.permitsFor(256 * mib, 8 * mib)).isEqualTo(5);
    assertThat(BoundedCopier.permitsFor(16 * mib, 8 * mib)).isEqualTo(1);
    assertThat(BoundedCopier.permitsFor(64L << 30, 8 * mib)).isEqualTo(BoundedCopier.MAX_PERMITS);
    // streaming single PUTs hold no part buffer: many more of them fit
    assertThat(BoundedCopier.copiesFor(64 * mib)).isEqualTo(64);
    assertThat(BoundedCopier.copiesFor(3L << 30)).isEqualTo(BoundedCopier.MAX_COPIES);
    assertThat(BoundedCopier.copiesFor(mib)).isEqualTo(1);
  }
}
