package io.renderrelay.worker.provider;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts every sighting of an unknown task status and logs each distinct value once (WARN), for at
 * most a bounded number of distinct values.
 */
final class UnknownStatusLog {

  private static final Logger log = LoggerFactory.getLogger(UnknownStatusLog.class);
  private static final int MAX_DISTINCT_UNKNOWN_STATUSES = 256;
  private static final int MAX_STATUS_TAG_CHARS = 64;

  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  private final ProviderMetrics metrics;
  private final Redactor redactor;

  UnknownStatusLog(ProviderMetrics metrics, Redactor redactor) {
    this.metrics = metrics;
    this.redactor = redactor;
  }

  void report(TaskSnapshot snapshot) {
    String raw = redactor.redact(snapshot.rawStatus());
    String tag = raw.length() > MAX_STATUS_TAG_CHARS ? raw.substring(0, MAX_STATUS_TAG_CHARS) : raw;
    metrics.onUnknownStatus(tag);
    if (seen.size() < MAX_DISTINCT_UNKNOWN_STATUSES && seen.add(tag)) {
      log.warn(
          "provider feed: unknown task status '{}' (task {}); treated as not terminal until the"
              + " job's deadline (logged once per status)",
          tag,
          snapshot.taskId());
    }
  }
}
