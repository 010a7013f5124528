package io.renderrelay.worker.ledger;

import io.renderrelay.avro.JobState;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.rocksdb.FlushOptions;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * A disk-backed ledger store (RocksDB, as Kafka Streams uses), so the heap stays flat however many
 * jobs are in flight. Keys are the 4-byte partition followed by the UTF-8 jobId, so a whole
 * partition can be dropped with one range delete. The store is a cache of the topic: a partition is
 * restored from Kafka on assignment, from its checkpoint when the store holds one (written after a
 * flush at a clean handover, so a directory on a persistent volume makes a restart cheap), else
 * from the beginning; the write-ahead log is off, so after a crash there is no checkpoint. The
 * database itself, and its safe close, is a {@link GuardedRocksDb}.
 */
public final class RocksDbLedgerStore implements LedgerStore {

  private final GuardedRocksDb store;
  private final LedgerCodec codec;

  public RocksDbLedgerStore(Path dir, LedgerCodec codec) {
    this.store = new GuardedRocksDb(dir);
    this.codec = codec;
  }

  /**
   * A statistics ticker's count since the store opened ({@code name}: a TickerType); NaN once
   * closed.
   */
  public double ticker(String name) {
    return store.ticker(name);
  }

  /** A numeric RocksDB property ({@code rocksdb.<name>}); NaN once closed or when unknown. */
  public double property(String name) {
    return store.property(name);
  }

  @Override
  public Optional<JobState> get(int partition, String jobId) {
    return store.call(
        "read",
        (db, writes) -> {
          byte[] value = db.get(key(partition, jobId));
          return value == null ? Optional.empty() : Optional.of(codec.decode(value));
        });
  }

  @Override
  public void put(int partition, JobState state) {
    store.call(
        "write",
        (db, writes) -> {
          db.put(writes, key(partition, state.getJobId()), codec.encode(state));
          return null;
        });
  }

  @Override
  public void putEncoded(int partition, List<Encoded> entries) {
    store.call(
        "batch write",
        (db, writes) -> {
          try (WriteBatch batch = new WriteBatch(batchBytes(entries))) {
            for (Encoded e : entries) {
              if (e.value() == null) {
                batch.delete(key(partition, e.jobId()));
              } else {
                batch.put(key(partition, e.jobId()), e.value());
              }
            }
            db.write(writes, batch);
          }
          return null;
        });
  }

  @Override
  public List<JobState> scan(int partition, String afterJobId, int limit) {
    return store.call(
        "scan",
        (db, writes) -> {
          List<JobState> out = new ArrayList<>();
          byte[] end = prefix(partition + 1);
          byte[] after = afterJobId == null ? null : key(partition, afterJobId);
          try (RocksIterator it = db.newIterator()) {
            it.seek(after == null ? prefix(partition) : after);
            if (after != null && it.isValid() && Arrays.equals(it.key(), after)) {
              it.next();
            }
            for (; it.isValid() && out.size() < limit; it.next()) {
              if (Arrays.compareUnsigned(it.key(), end) >= 0) {
                break;
              }
              out.add(codec.decode(it.value()));
            }
          }
          return out;
        });
  }

  @Override
  public void checkpoint(String topicId, Map<Integer, Long> offsets) {
    store.call(
        "checkpoint",
        (db, writes) -> {
          try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            db.flush(flush);
            for (Map.Entry<Integer, Long> e : offsets.entrySet()) {
              db.put(
                  writes,
                  checkpointKey(topicId, e.getKey()),
                  ByteBuffer.allocate(8).putLong(e.getValue()).array());
            }
            db.flush(flush);
          }
          return null;
        });
  }

  @Override
  public OptionalLong takeCheckpoint(String topicId, int partition) {
    return store.call(
        "checkpoint read",
        (db, writes) -> {
          byte[] value = db.get(checkpointKey(topicId, partition));
          if (value == null) {
            return OptionalLong.empty();
          }
          db.delete(writes, checkpointKey(topicId, partition));
          try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            db.flush(flush);
          }
          return OptionalLong.of(ByteBuffer.wrap(value).getLong());
        });
  }

  @Override
  public void remove(int partition, String jobId) {
    store.call(
        "delete",
        (db, writes) -> {
          db.delete(writes, key(partition, jobId));
          return null;
        });
  }

  @Override
  public void clearPartition(int partition) {
    store.call(
        "range delete",
        (db, writes) -> {
          // one batch: a crash may never keep the checkpoint of entries already deleted
          try (WriteBatch batch = new WriteBatch()) {
            batch.deleteRange(checkpointPrefix(partition), checkpointPrefix(partition + 1));
            batch.deleteRange(prefix(partition), prefix(partition + 1));
            db.write(writes, batch);
          }
          return null;
        });
  }

  @Override
  public void close() {
    store.close();
  }

  /** Deletes a store's directory (tests and tools; the worker keeps it for the next start). */
  public static void delete(Path dir) {
    GuardedRocksDb.deleteRecursively(dir);
  }

  /**
   * Room for the batch's entries up front (keys, values and a few bytes of framing each), so the
   * native batch is not grown and copied while a restore fills it.
   */
  private static int batchBytes(List<Encoded> entries) {
    long bytes = 12;
    for (Encoded e : entries) {
      bytes += 16 + 4 + e.jobId().length() * 3L + (e.value() == null ? 0 : e.value().length);
    }
    return (int) Math.min(bytes, 256L * 1024 * 1024);
  }

  /** Checkpoints live under prefix 0xFFFFFFFF, after every partition's range. */
  private static byte[] checkpointKey(String topicId, int partition) {
    byte[] id = topicId.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(8 + id.length).putInt(-1).putInt(partition).put(id).array();
  }

  /** The start of a partition's checkpoints (one per topic id). */
  private static byte[] checkpointPrefix(int partition) {
    return ByteBuffer.allocate(8).putInt(-1).putInt(partition).array();
  }

  private static byte[] prefix(int partition) {
    return ByteBuffer.allocate(4).putInt(partition).array();
  }

  private static byte[] key(int partition, String jobId) {
    byte[] id = jobId.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(4 + id.length).putInt(partition).put(id).array();
  }
}
