package io.renderrelay.worker.engine;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Commits a transaction, retrying the commit itself on timeouts (as the Kafka docs allow). */
final class TransactionCommitter {

  private static final Logger log = LoggerFactory.getLogger(TransactionCommitter.class);
  private static final int MAX_COMMIT_TRIES = 5;

  private TransactionCommitter() {}

  static void commit(Producer<byte[], byte[]> producer) {
    for (int attempt = 1; ; attempt++) {
      try {
        producer.commitTransaction();
        return;
      } catch (TimeoutException e) {
        if (attempt >= MAX_COMMIT_TRIES) {
          throw e;
        }
        log.warn("transaction commit timed out, retrying the commit (try {})", attempt + 1);
      }
    }
  }

  static void abortQuietly(Producer<byte[], byte[]> producer) {
    try {
      producer.abortTransaction();
    } catch (RuntimeException e) {
      log.debug("abort after a failed transaction failed too: {}", e.toString());
    }
  }
}
