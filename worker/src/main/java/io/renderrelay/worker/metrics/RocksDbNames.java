package io.renderrelay.worker.metrics;

import java.util.List;
import java.util.Locale;

/**
 * The bounded set of RocksDB statistics the ledger store publishes: tickers (cumulative counts, a
 * {@code org.rocksdb.TickerType} in lower case) and properties ({@code rocksdb.<name>} with dashes
 * as underscores). Kept here, as names only, so the metrics package does not depend on RocksDB.
 */
public final class RocksDbNames {

  private static final List<String> TICKERS =
      List.of(
          "block_cache_hit",
          "block_cache_miss",
          "memtable_hit",
          "memtable_miss",
          "number_keys_written",
          "number_keys_read",
          "bytes_written",
          "bytes_read",
          "compact_read_bytes",
          "compact_write_bytes",
          "flush_write_bytes",
          "stall_micros");

  private static final List<String> PROPERTIES =
      List.of(
          "estimate_num_keys",
          "cur_size_all_mem_tables",
          "total_sst_files_size",
          "live_sst_files_size",
          "estimate_live_data_size",
          "block_cache_usage",
          "num_running_compactions",
          "num_running_flushes",
          "background_errors");

  private RocksDbNames() {}

  static String[] tickers() {
    return TICKERS.toArray(String[]::new);
  }

  static String[] properties() {
    return PROPERTIES.toArray(String[]::new);
  }

  /** Every ticker tag value. */
  public static List<String> tickerNames() {
    return TICKERS;
  }

  /** Every property tag value. */
  public static List<String> propertyNames() {
    return PROPERTIES;
  }

  /** The {@code org.rocksdb.TickerType} constant name of a ticker tag value. */
  public static String tickerType(String ticker) {
    return ticker.toUpperCase(Locale.ROOT);
  }

  /** The RocksDB property name of a property tag value. */
  public static String propertyName(String property) {
    return "rocksdb." + property.replace('_', '-');
  }
}
