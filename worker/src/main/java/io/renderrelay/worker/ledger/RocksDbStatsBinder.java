package io.renderrelay.worker.ledger;

import io.renderrelay.worker.metrics.Metrics;
import io.renderrelay.worker.metrics.MetricsCatalogue;
import io.renderrelay.worker.metrics.RocksDbNames;

/**
 * Publishes the ledger store's RocksDB statistics (there is no Micrometer RocksDB binder): the
 * bounded set of tickers and properties in {@link RocksDbNames}, read at scrape time.
 */
public final class RocksDbStatsBinder {

  private RocksDbStatsBinder() {}

  /** Binds every ticker and property of {@code store} into {@code metrics}. */
  public static void bind(RocksDbLedgerStore store, Metrics metrics) {
    for (String ticker : RocksDbNames.tickerNames()) {
      String type = RocksDbNames.tickerType(ticker);
      metrics.bindCounter(MetricsCatalogue.ROCKSDB_TICKERS, ticker, store, s -> s.ticker(type));
    }
    for (String property : RocksDbNames.propertyNames()) {
      String name = RocksDbNames.propertyName(property);
      metrics.bindGauge(
          MetricsCatalogue.ROCKSDB_PROPERTIES, property, store, s -> s.property(name));
    }
  }
}
