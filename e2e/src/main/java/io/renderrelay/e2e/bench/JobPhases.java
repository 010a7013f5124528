package io.renderrelay.e2e.bench;

import io.renderrelay.avro.RenderCompleted;
import io.renderrelay.e2e.EventCollector;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Where the jobs of a run spent their time, from their RenderCompleted events: command published to
 * submitted (intake, the intent's commit, the POST), submitted to the poll that found the render
 * done, and that poll to the end of the copy. Median and 90th percentile of each, in milliseconds.
 */
final class JobPhases {
  private JobPhases() {}

  static Map<String, Object> of(EventCollector events, Collection<String> jobIds) {
    List<RenderCompleted> done = new ArrayList<>();
    for (String id : jobIds) {
      for (Object e : events.eventsOf(id)) {
        if (e instanceof RenderCompleted c) {
          done.add(c);
        }
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("jobs", done.size());
    out.put(
        "requestedToSubmittedMs",
        spread(done, c -> between(c.getRequestedAt(), c.getSubmittedAt())));
    out.put(
        "submittedToRenderSeenMs",
        spread(done, c -> between(c.getSubmittedAt(), c.getRenderedAt())));
    out.put(
        "renderSeenToCopiedMs", spread(done, c -> between(c.getRenderedAt(), c.getCompletedAt())));
    return out;
  }

  private static long between(Instant a, Instant b) {
    return Duration.between(a, b).toMillis();
  }

  private static Map<String, Long> spread(
      List<RenderCompleted> done, Function<RenderCompleted, Long> f) {
    long[] v = done.stream().map(f).mapToLong(Long::longValue).sorted().toArray();
    Map<String, Long> m = new LinkedHashMap<>();
    if (v.length > 0) {
      m.put("p50", v[v.length / 2]);
      m.put("p90", v[(int) Math.min(v.length - 1, Math.round(v.length * 0.9))]);
      m.put("max", v[v.length - 1]);
    }
    return m;
  }
}
