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
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Statistics;
import org.rocksdb.Status;
import org.rocksdb.TickerType;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A disk-backed ledger store (RocksDB, as Kafka Streams uses), so the heap stays flat however many
 * jobs are in flight. Keys are the 4-byte partition followed by the UTF-8 jobId, so a whole
 * partition can be dropped with one range delete. The store is a cache of the topic: a partition is
 * restored from Kafka on assignment, from its checkpoint when the store holds one (written after a
 * flush at a clean handover, so a directory on a persistent volume makes a restart cheap), else
 * from the beginning; the write-ahead log is off, so after a crash there is no checkpoint.
 */
public final class RocksDbLedgerStore implements LedgerStore {

  private static final Logger log = LoggerFactory.getLogger(RocksDbLedgerStore.class);

  private final Options options;
  private final Statistics statistics;
  private final WriteOptions writeOptions;
  private final RocksDB db;
  private final LedgerCodec codec;
  // a step still running after a drain ran out of time may touch the store while the worker
  // closes it: a read of a closed RocksDB crashes the JVM, so close waits and later calls throw
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;

  public RocksDbLedgerStore(Path dir, LedgerCodec codec) {
    RocksDB.loadLibrary();
    this.codec = codec;
    this.statistics = new Statistics();
    this.options = new Options().setCreateIfMissing(true).setStatistics(statistics);
    this.writeOptions = new WriteOptions().setDisableWAL(true);
    try {
      Files.createDirectories(dir);
      this.db = openOrRebuild(options, dir);
    } catch (RocksDBException | IOException | UncheckedIOException e) {
      options.close();
      statistics.close();
      writeOptions.close();
      throw new IllegalStateException("cannot open the ledger store at " + dir + ": " + e, e);
    }
  }

  /**
   * Opens the store; a corrupted one (a volume cut mid-write) is deleted and opened empty, as the
   * store is a cache of the topic and every partition is then restored from the beginning. Any
   * other failure (e.g. the directory held by another process) is left to the caller, untouched.
   */
  private static RocksDB openOrRebuild(Options options, Path dir) throws RocksDBException {
    try {
      return RocksDB.open(options, dir.toString());
    } catch (RocksDBException e) {
      if (e.getStatus() == null || e.getStatus().getCode() != Status.Code.Corruption) {
        throw e;
      }
      log.warn(
          "ledger store at {} is corrupted ({}): deleted; its partitions are restored from the"
              + " topic",
          dir,
          e.getMessage());
      deleteRecursively(dir);
      return RocksDB.open(options, dir.toString());
    }
  }

  /**
   * A statistics ticker's count since the store opened ({@code name}: a TickerType); NaN once
   * closed.
   */
  public double ticker(String name) {
    return ifOpen(() -> (double) statistics.getTickerCount(TickerType.valueOf(name)));
  }

  /** A numeric RocksDB property ({@code rocksdb.<name>}); NaN once closed or when unknown. */
  public double property(String name) {
    return ifOpen(
        () -> {
          try {
            return (double) db.getLongProperty(name);
          } catch (RocksDBException e) {
            return Double.NaN;
          }
        });
  }

  /**
   * A statistic read under the read lock, so it never touches a closed RocksDB; NaN once closed.
   */
  private double ifOpen(java.util.function.DoubleSupplier read) {
    lock.readLock().lock();
    try {
      return closed ? Double.NaN : read.getAsDouble();
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public Optional<JobState> get(int partition, String jobId) {
    return open(
        () -> {
          byte[] value = db.get(key(partition, jobId));
          return value == null ? Optional.empty() : Optional.of(codec.decode(value));
        },
        "read");
  }

  @Override
  public void put(int partition, JobState state) {
    open(
        () -> {
          db.put(writeOptions, key(partition, state.getJobId()), codec.encode(state));
          return null;
        },
        "write");
  }

  @Override
  public void putEncoded(int partition, List<Encoded> entries) {
    open(
        () -> {
          try (WriteBatch batch = new WriteBatch(batchBytes(entries))) {
            for (Encoded e : entries) {
              if (e.value() == null) {
                batch.delete(key(partition, e.jobId()));
              } else {
                batch.put(key(partition, e.jobId()), e.value());
              }
            }
            db.write(writeOptions, batch);
          }
          return null;
        },
        "batch write");
  }

  @Override
  public List<JobState> scan(int partition, String afterJobId, int limit) {
    return open(
        () -> {
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
        },
        "scan");
  }

  @Override
  public void checkpoint(String topicId, Map<Integer, Long> offsets) {
    open(
        () -> {
          try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            db.flush(flush);
            for (Map.Entry<Integer, Long> e : offsets.entrySet()) {
              db.put(
                  writeOptions,
                  checkpointKey(topicId, e.getKey()),
                  ByteBuffer.allocate(8).putLong(e.getValue()).array());
            }
            db.flush(flush);
          }
          return null;
        },
        "checkpoint");
  }

  @Override
  public OptionalLong takeCheckpoint(String topicId, int partition) {
    return open(
        () -> {
          byte[] value = db.get(checkpointKey(topicId, partition));
          if (value == null) {
            return OptionalLong.empty();
          }
          db.delete(writeOptions, checkpointKey(topicId, partition));
          try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            db.flush(flush);
          }
          return OptionalLong.of(ByteBuffer.wrap(value).getLong());
        },
        "checkpoint read");
  }

  @Override
  public void remove(int partition, String jobId) {
    open(
        () -> {
          db.delete(writeOptions, key(partition, jobId));
          return null;
        },
        "delete");
  }

  @Override
  public void clearPartition(int partition) {
    open(
        () -> {
          db.deleteRange(writeOptions, prefix(partition), prefix(partition + 1));
          db.deleteRange(
              writeOptions, checkpointPrefix(partition), checkpointPrefix(partition + 1));
          return null;
        },
        "range delete");
  }

  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      db.close();
      writeOptions.close();
      options.close();
      statistics.close();
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Deletes a store's directory (tests and tools; the worker keeps it for the next start). */
  public static void delete(Path dir) {
    deleteRecursively(dir);
  }

  private interface DbCall<T> {
    T run() throws RocksDBException;
  }

  /** Runs {@code call} unless the store is closed (then throws IllegalStateException). */
  private <T> T open(DbCall<T> call, String what) {
    lock.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("ledger store " + what + " after close");
      }
      return call.run();
    } catch (RocksDBException e) {
      throw new IllegalStateException("ledger store " + what + " failed: " + e.getMessage(), e);
    } finally {
      lock.readLock().unlock();
    }
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
