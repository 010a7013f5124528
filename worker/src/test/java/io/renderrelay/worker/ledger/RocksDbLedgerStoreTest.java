package io.renderrelay.worker.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A step that outlives a drain may still reach the store while the worker closes it: that call
 * fails with a clear error instead of reading freed native memory (which crashed the JVM).
 */
class RocksDbLedgerStoreTest {

  @TempDir Path dir;

  @Test
  void callsAfterCloseFailClearlyAndCloseIsIdempotent() {
    RocksDbLedgerStore store = new RocksDbLedgerStore(dir.resolve("ledger"), LedgerCodec.current());
    assertThat(store.get(0, "job-1")).isEmpty();
    store.close();
    assertThatThrownBy(() -> store.get(0, "job-1"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("ledger store read after close");
    assertThatThrownBy(() -> store.remove(0, "job-1"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("ledger store delete after close");
    store.close();
    assertThat(dir.resolve("ledger")).as("kept for the next start").exists();
  }

  @Test
  void aStoreReopenedOnItsDirectoryKeepsItsEntriesAndCheckpoints() {
    Path db = dir.resolve("reopened");
    try (RocksDbLedgerStore store = new RocksDbLedgerStore(db, LedgerCodec.current())) {
      store.put(2, LedgerCodecTest.restyleJob("kept", null));
      store.checkpoint("topic-a", java.util.Map.of(2, 41L));
    }
    try (RocksDbLedgerStore store = new RocksDbLedgerStore(db, LedgerCodec.current())) {
      assertThat(store.get(2, "kept")).isPresent();
      assertThat(store.takeCheckpoint("topic-b", 2)).as("another topic's").isEmpty();
      assertThat(store.takeCheckpoint("topic-a", 2)).hasValue(41L);
      assertThat(store.takeCheckpoint("topic-a", 2)).as("taken once").isEmpty();
    }
  }

  @Test
  void clearingAPartitionForgetsItsCheckpointsAndOnlyItsOwn() {
    try (RocksDbLedgerStore store =
        new RocksDbLedgerStore(dir.resolve("cleared"), LedgerCodec.current())) {
      store.put(2, LedgerCodecTest.restyleJob("gone", null));
      store.checkpoint("topic-a", java.util.Map.of(2, 41L, 3, 7L));
      store.checkpoint("topic-b", java.util.Map.of(2, 9L));

      store.clearPartition(2);

      assertThat(store.get(2, "gone")).isEmpty();
      assertThat(store.takeCheckpoint("topic-a", 2)).isEmpty();
      assertThat(store.takeCheckpoint("topic-b", 2)).isEmpty();
      assertThat(store.takeCheckpoint("topic-a", 3)).as("another partition's").hasValue(7L);
    }
  }

  @Test
  void aCorruptedDirectoryIsRestoredFromTheTopicInsteadOfFailingEveryStart() throws Exception {
    Path db = dir.resolve("corrupted");
    try (RocksDbLedgerStore store = new RocksDbLedgerStore(db, LedgerCodec.current())) {
      store.put(2, LedgerCodecTest.restyleJob("before", null));
      store.checkpoint("topic-a", java.util.Map.of(2, 41L));
    }
    // a half-written volume: the store's pointer to its manifest is garbage
    java.nio.file.Files.writeString(db.resolve("CURRENT"), "garbage");

    try (RocksDbLedgerStore store = new RocksDbLedgerStore(db, LedgerCodec.current())) {
      assertThat(store.get(2, "before")).as("a cache: restored from the topic").isEmpty();
      assertThat(store.takeCheckpoint("topic-a", 2)).as("no checkpoint survives").isEmpty();
      store.put(2, LedgerCodecTest.restyleJob("after", null));
      assertThat(store.get(2, "after")).isPresent();
    }
  }

  @Test
  void aDirectoryHeldByAnotherOpenStoreIsRefusedNotWiped() {
    Path db = dir.resolve("held");
    try (RocksDbLedgerStore first = new RocksDbLedgerStore(db, LedgerCodec.current())) {
      first.put(2, LedgerCodecTest.restyleJob("mine", null));
      assertThatThrownBy(() -> new RocksDbLedgerStore(db, LedgerCodec.current()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("cannot open the ledger store");
      assertThat(first.get(2, "mine")).isPresent();
    }
  }
}
