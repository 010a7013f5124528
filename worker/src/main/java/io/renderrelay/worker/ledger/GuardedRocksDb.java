package io.renderrelay.worker.ledger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.DoubleSupplier;
import java.util.stream.Stream;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.Statistics;
import org.rocksdb.Status;
import org.rocksdb.TickerType;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open RocksDB and the native objects it needs (options, statistics, write options with the
 * write-ahead log off), for the {@link RocksDbLedgerStore}. A store that is corrupted is rebuilt
 * empty on open. Every call runs under a read lock and close takes the write lock: a step still
 * running after a drain ran out of time may touch the store while the worker closes it, and a read
 * of a closed RocksDB crashes the JVM, so close waits for calls in progress and later calls throw.
 */
final class GuardedRocksDb implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(GuardedRocksDb.class);

  /** One call on the open database. */
  interface DbCall<T> {
    T run(RocksDB db, WriteOptions writes) throws RocksDBException;
  }

  private final Options options;
  private final Statistics statistics;
  private final WriteOptions writeOptions;
  private final RocksDB db;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;

  GuardedRocksDb(Path dir) {
    RocksDB.loadLibrary();
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

  /** Runs {@code call} unless the store is closed (then throws IllegalStateException). */
  <T> T call(String what, DbCall<T> call) {
    lock.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("ledger store " + what + " after close");
      }
      return call.run(db, writeOptions);
    } catch (RocksDBException e) {
      throw new IllegalStateException("ledger store " + what + " failed: " + e.getMessage(), e);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** A statistics ticker's count since the store opened ({@code name}: a TickerType). */
  double ticker(String name) {
    return ifOpen(() -> (double) statistics.getTickerCount(TickerType.valueOf(name)));
  }

  /** A numeric RocksDB property ({@code rocksdb.<name>}); NaN when unknown. */
  double property(String name) {
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
  private double ifOpen(DoubleSupplier read) {
    lock.readLock().lock();
    try {
      return closed ? Double.NaN : read.getAsDouble();
    } finally {
      lock.readLock().unlock();
    }
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

  static void deleteRecursively(Path dir) {
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
