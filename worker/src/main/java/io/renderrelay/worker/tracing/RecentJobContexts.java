package io.renderrelay.worker.tracing;

import io.opentelemetry.context.Context;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The trace contexts last seen per jobId, for records that carry none (a callback's poll-now
 * ticket). Bounded by count and by weight: a context's weight is the size of the trace headers it
 * came from, so callers sending the W3C maximum of baggage (8 KB, about 18 KB of heap once parsed)
 * hold far fewer entries than the count limit instead of hundreds of megabytes. The least recently
 * used entries leave first; a job whose context left starts a new trace on its next callback.
 */
final class RecentJobContexts {

  /** A parsed context's heap per byte of its headers, measured: about 2.2. */
  private static final int HEAP_PER_HEADER_BYTE = 3;

  /** The most trace headers a context is made of (W3C: 8192 of baggage, 512 of tracestate). */
  private static final long MAX_HEADER_BYTES = 9 * 1024;

  /** Heap of a context with a span and nothing else, rounded up. */
  private static final int BASE_WEIGHT = 512;

  private record Entry(Context context, long weight) {}

  private final int maxEntries;
  private final long maxWeight;
  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(1024, 0.75f, true);
  private long weight;

  /**
   * At most {@code maxEntries} contexts weighing at most {@code maxWeight} estimated heap bytes.
   */
  RecentJobContexts(int maxEntries, long maxWeight) {
    this.maxEntries = maxEntries;
    this.maxWeight = maxWeight;
  }

  /** Remembers {@code context} for {@code jobId}; {@code headerBytes}: its trace headers' size. */
  synchronized void put(String jobId, Context context, long headerBytes) {
    // headers past the W3C limits were cut when parsed: they weigh no more than the limits
    long parsed = Math.min(headerBytes, MAX_HEADER_BYTES);
    Entry entry = new Entry(context, BASE_WEIGHT + HEAP_PER_HEADER_BYTE * parsed);
    Entry replaced = entries.put(jobId, entry);
    weight += entry.weight() - (replaced == null ? 0 : replaced.weight());
    Iterator<Map.Entry<String, Entry>> eldest = entries.entrySet().iterator();
    while ((entries.size() > maxEntries || weight > maxWeight) && eldest.hasNext()) {
      weight -= eldest.next().getValue().weight();
      eldest.remove();
    }
  }

  /** The context last seen for {@code jobId}, else {@code fallback}. */
  synchronized Context getOrDefault(String jobId, Context fallback) {
    Entry entry = entries.get(jobId);
    return entry == null ? fallback : entry.context();
  }

  synchronized int size() {
    return entries.size();
  }

  /** The estimated heap the entries hold. */
  synchronized long weight() {
    return weight;
  }
}
