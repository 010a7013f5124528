package io.renderrelay.worker.ledger;

import io.renderrelay.avro.JobState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * A disk-backed ledger store (RocksDB, as Kafka Streams uses), so the heap stays flat however many
 * jobs are in flight. Keys are the 4-byte partition followed by the UTF-8 jobId, so a whole
 * partition can be dropped with one range delete. The store is a cache of the topic: a partition is
 * restored from Kafka on assignment, from its checkpoint when the store holds one (written after a
 * flush at a clean handover, so a directory on a persistent volume makes a restart cheap), else
 * from the beginning; the write-ahead log is off, so after a crash there is no checkpoint.
 */
public final class RocksDbLedgerStore implements LedgerStore {

  private final Options options;
  private final WriteOptions writeOptions;
  private final RocksDB db;
  private final LedgerCodec codec;

  public RocksDbLedgerStore(Path dir, LedgerCodec codec) {
    RocksDB.loadLibrary();
    this.codec = codec;
    this.options = new Options().setCreateIfMissing(true);
    this.writeOptions = new WriteOptions().setDisableWAL(true);
    try {
      Files.createDirectories(dir);
      this.db = RocksDB.open(options, dir.toString());
    } catch (RocksDBException | IOException e) {
      options.close();
      writeOptions.close();
      throw new IllegalStateException("cannot open the ledger store at " + dir + ": " + e, e);
    }
  }

  @Override
  public Optional<JobState> get(int partition, String jobId) {
    try {
      byte[] value = db.get(key(partition, jobId));
      return value == null ? Optional.empty() : Optional.of(codec.decode(value));
    } catch (RocksDBException e) {
      throw new IllegalStateException("ledger store read failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void put(int partition, JobState state) {
    try {
      db.put(writeOptions, key(partition, state.getJobId()), codec.encode(state));
    } catch (RocksDBException e) {
      throw new IllegalStateException("ledger store write failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void putEncoded(int partition, List<Encoded> entries) {
    try (WriteBatch batch = new WriteBatch()) {
      for (Encoded e : entries) {
        if (e.value() == null) {
          batch.delete(key(partition, e.jobId()));
        } else {
          batch.put(key(partition, e.jobId()), e.value());
        }
      }
      db.write(writeOptions, batch);
    } catch (RocksDBException e) {
      throw new IllegalStateException("ledger store batch write failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void remove(int partition, String jobId) {
    try {
      db.delete(writeOptions, key(partition, jobId));
    } catch (RocksDBException e) {
      throw new IllegalStateException("ledger store delete failed: " + e.getMessage(), e);
    }
  }

  @Override
  public List<JobState> scan(int partition, String afterJobId, int limit) {
    List<JobState> out = new ArrayList<>();
    byte[] end = prefix(partition + 1);
    try (RocksIterator it = db.newIterator()) {
      it.seek(afterJobId == null ? prefix(partition) : key(partition, afterJobId));
      if (afterJobId != null
          && it.isValid()
          && Arrays.equals(it.key(), key(partition, afterJobId))) {
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
  }

  @Override
  public void checkpoint(String topicId, Map<Integer, Long> offsets) {
    try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
      db.flush(flush);
      for (Map.Entry<Integer, Long> e : offsets.entrySet()) {
        db.put(
            writeOptions,
            checkpointKey(topicId, e.getKey()),
            ByteBuffer.allocate(8).putLong(e.getValue()).array());
      }
      db.flush(flush);
    } catch (RocksDBException e) {
      throw new IllegalStateException("ledger checkpoint failed: " + e.getMessage(), e);
    }
  }

  @Override
  public OptionalLong takeCheckpoint(String topicId, int partition) {
    try {
      byte[] value = db.get(checkpointKey(topicId, partition));
      if (value == null) {
        return OptionalLong.empty();
      }
      db.delete(writeOptions, checkpointKey(topicId, partition));
      try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
        db.flush(flush);
      }
      return OptionalLong.of(ByteBuffer.wrap(value).getLong());
    } catch (RocksDBException e) {
      throw new IllegalStateException("ledger checkpoint read failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void clearPartition(int partition) {
    try {
      db.deleteRange(writeOptions, prefix(partition), prefix(partition + 1));
    } catch (RocksDBException e) {
      throw new IllegalStateException("ledger store range delete failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    db.close();
    writeOptions.close();
    options.close();
  }

  /** Deletes the store's directory (tests and tools; the worker keeps it for the next start). */
  public static void delete(Path dir) {
    deleteRecursively(dir);
  }

  /** Checkpoints live under prefix 0xFFFFFFFF, after every partition's range. */
  private static byte[] checkpointKey(String topicId, int partition) {
    byte[] id = topicId.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(8 + id.length).putInt(-1).putInt(partition).put(id).array();
  }

  private static byte[] prefix(int partition) {
    return ByteBuffer.allocate(4).putInt(partition).array();
  }

  private static byte[] key(int partition, String jobId) {
    byte[] id = jobId.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(4 + id.length).putInt(partition).put(id).array();
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clear the ledger store directory " + dir, e);
    }
  }
}
