package io.renderrelay.worker.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's guard (issue 18 review): a close waits for a call in progress instead of freeing the
 * native database under it, and a partition cleared at a handover takes its entries and checkpoints
 * and nothing of its neighbours, also across a reopen (months of uptime: partition numbers and the
 * 0xFFFFFFFF checkpoint prefix side by side).
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GuardedRocksDbTest {

  @TempDir Path dir;

  @Test
  void closeWaitsForACallInProgressAndLaterCallsFailClearly() throws Exception {
    GuardedRocksDb db = new GuardedRocksDb(dir.resolve("guarded"));
    byte[] key = "k".getBytes(StandardCharsets.UTF_8);
    CountDownLatch inCall = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread step =
        Thread.ofPlatform()
            .start(
                () ->
                    db.call(
                        "write",
                        (rocks, writes) -> {
                          inCall.countDown();
                          awaitQuietly(release);
                          rocks.put(writes, key, key);
                          return rocks.get(key);
                        }));
    assertThat(inCall.await(10, TimeUnit.SECONDS)).isTrue();
    CountDownLatch closed = new CountDownLatch(1);
    Thread closer =
        Thread.ofPlatform()
            .start(
                () -> {
                  db.close();
                  closed.countDown();
                });
    assertThat(closed.await(200, TimeUnit.MILLISECONDS)).as("close waited for the call").isFalse();
    release.countDown();
    assertThat(closed.await(10, TimeUnit.SECONDS)).isTrue();
    step.join(10_000);
    closer.join(10_000);
    assertThat(db.ticker("NUMBER_KEYS_WRITTEN")).isNaN();
    assertThat(db.property("rocksdb.estimate-num-keys")).isNaN();
    assertThatThrownBy(() -> db.call("read", (rocks, writes) -> rocks.get(key)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("ledger store read after close");
    db.close();
  }

  @Test
  void clearingAPartitionKeepsItsNeighboursEntriesAndCheckpointsAcrossAReopen() {
    Path path = dir.resolve("neighbours");
    try (RocksDbLedgerStore store = new RocksDbLedgerStore(path, LedgerCodec.current())) {
      for (int p : new int[] {0, 1, 2, 255, 256, Integer.MAX_VALUE}) {
        store.put(p, LedgerCodecTest.restyleJob("job-" + p, null));
      }
      store.checkpoint("t", Map.of(0, 10L, 1, 11L, 255, 12L, 256, 13L, Integer.MAX_VALUE, 14L));
      store.clearPartition(1);
      store.clearPartition(256);
      store.clearPartition(Integer.MAX_VALUE);
    }
    try (RocksDbLedgerStore store = new RocksDbLedgerStore(path, LedgerCodec.current())) {
      assertThat(store.get(0, "job-0")).isPresent();
      assertThat(store.get(2, "job-2")).isPresent();
      assertThat(store.get(255, "job-255")).isPresent();
      assertThat(store.get(1, "job-1")).isEmpty();
      assertThat(store.get(256, "job-256")).isEmpty();
      assertThat(store.get(Integer.MAX_VALUE, "job-" + Integer.MAX_VALUE)).isEmpty();
      assertThat(store.scan(1, null, 10)).isEmpty();
      assertThat(store.scan(0, null, 10)).hasSize(1);
      assertThat(store.takeCheckpoint("t", 0)).hasValue(10L);
      assertThat(store.takeCheckpoint("t", 255)).hasValue(12L);
      assertThat(store.takeCheckpoint("t", 1)).isEmpty();
      assertThat(store.takeCheckpoint("t", 256)).isEmpty();
      assertThat(store.takeCheckpoint("t", Integer.MAX_VALUE)).isEmpty();
      assertThat(List.of(store.scan(255, null, 10).size(), store.scan(2, null, 10).size()))
          .containsExactly(1, 1);
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
