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
    RocksDbLedgerStore store = new RocksDbLedgerStore(dir.resolve("ledger"), new LedgerCodec());
    assertThat(store.get(0, "job-1")).isEmpty();
    store.close();
    assertThatThrownBy(() -> store.get(0, "job-1"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("ledger store read after close");
    assertThatThrownBy(() -> store.remove(0, "job-1"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("ledger store delete after close");
    store.close();
    assertThat(dir.resolve("ledger")).doesNotExist();
  }
}
