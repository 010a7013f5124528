package io.renderrelay.worker.job.submit;

import io.renderrelay.avro.JobState;
import io.renderrelay.worker.provider.SubmitPermit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The intents this process committed whose submit step has not decided yet whether to POST. The
 * step claims its entry before it may POST; an entry nobody claimed while its permit was fresh (the
 * step was dropped with its partition, or the process was frozen) is claimed by {@link #sweep},
 * which says "not sent": that step can no longer POST (it finds its entry gone), so the word is
 * true, and the next owner need not wait for it nor declare the job AMBIGUOUS. Thread-safe.
 */
final class PendingSubmits {

  private record Pending(JobState intent, SubmitPermit permit) {}

  private final Map<String, Pending> pending = new ConcurrentHashMap<>();

  /** The step for {@code intent} will run once the intent is committed. */
  void add(JobState intent, SubmitPermit permit) {
    pending.put(intent.getJobId(), new Pending(intent, permit));
  }

  /** The step takes its decision: true when it still may POST (nobody swept its entry). */
  boolean claim(JobState intent) {
    Pending p = pending.get(intent.getJobId());
    return p != null
        && p.intent().getUpdatedAt().equals(intent.getUpdatedAt())
        && pending.remove(intent.getJobId(), p);
  }

  /** Claims every entry whose permit is no longer fresh and says "not sent" for it. */
  void sweep(Predicate<SubmitPermit> fresh, Consumer<JobState> notSent) {
    for (Map.Entry<String, Pending> e : pending.entrySet()) {
      Pending p = e.getValue();
      if (!fresh.test(p.permit()) && pending.remove(e.getKey(), p)) {
        notSent.accept(p.intent());
      }
    }
  }

  int size() {
    return pending.size();
  }
}
