package io.renderrelay.devstack.simulator;

import com.sun.net.httpserver.Headers;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The trace headers of the provider API calls the simulator received (W3C {@code traceparent},
 * {@code tracestate} and {@code baggage}), so tests can check that a caller propagates its trace
 * context. Bounded: the last {@link #CAPACITY} requests.
 */
public final class RequestLog {

  /** How many requests are kept. */
  public static final int CAPACITY = 10_000;

  private static final List<String> TRACE_HEADERS = List.of("traceparent", "tracestate", "baggage");

  /**
   * One API request as received.
   *
   * @param method the HTTP method
   * @param uri the path and query
   * @param traceHeaders the trace headers present, lower-case names
   */
  public record Request(String method, String uri, Map<String, String> traceHeaders) {
    /** The trace id of the {@code traceparent} header, or empty. */
    public String traceId() {
      String parent = traceHeaders.getOrDefault("traceparent", "");
      String[] parts = parent.split("-");
      return parts.length == 4 ? parts[1] : "";
    }
  }

  private final Deque<Request> requests = new ArrayDeque<>();

  synchronized void record(String method, String uri, Headers headers) {
    Map<String, String> trace = new LinkedHashMap<>();
    for (String name : TRACE_HEADERS) {
      String value = headers.getFirst(name);
      if (value != null) {
        trace.put(name.toLowerCase(Locale.ROOT), value);
      }
    }
    if (requests.size() == CAPACITY) {
      requests.removeFirst();
    }
    requests.addLast(new Request(method, uri, Map.copyOf(trace)));
  }

  /** The requests kept, oldest first. */
  public synchronized List<Request> requests() {
    return List.copyOf(requests);
  }
}
