package io.renderrelay.e2e.chaos;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The outcome of a chaos run: the one summary line, the details behind it, and the violations (an
 * empty list means every invariant held).
 *
 * @param jobs commands published
 * @param completed jobs whose one terminal event is RenderCompleted
 * @param failed jobs whose one terminal event is a RenderFailed other than AMBIGUOUS_SUBMIT
 * @param ambiguous jobs failed as AMBIGUOUS_SUBMIT (payment in doubt, never resubmitted)
 * @param lost jobs without a terminal event for a read_committed consumer
 * @param duplicateEvents jobs with more than one terminal event
 * @param doublePaid jobs with more than one paid task where the earlier task had not failed
 * @param badObjects S3 objects (or event checksums) that differ from the simulator's output
 * @param details the other counts, e.g. {@code aborted_events}, {@code refund_resubmits}
 * @param failureReasons RenderFailed reasons (all, AMBIGUOUS_SUBMIT included) and their counts
 * @param ambiguousReasons why each AMBIGUOUS job is ambiguous, with its paid-task count
 * @param kills the kills carried out
 * @param faults the other faults, as applied
 * @param violations what broke an invariant, one line each (capped)
 */
public record ChaosReport(
    int jobs,
    int completed,
    int failed,
    int ambiguous,
    int lost,
    int duplicateEvents,
    int doublePaid,
    int badObjects,
    SortedMap<String, Long> details,
    SortedMap<String, Integer> failureReasons,
    SortedMap<String, Integer> ambiguousReasons,
    List<Killer.KillRecord> kills,
    List<String> faults,
    List<String> violations) {

  /** The summary line of {@code scripts/chaos}. */
  public String line() {
    return "chaos: jobs="
        + jobs
        + " completed="
        + completed
        + " failed="
        + failed
        + " ambiguous="
        + ambiguous
        + " lost="
        + lost
        + " duplicate_events="
        + duplicateEvents
        + " double_paid="
        + doublePaid
        + " bad_objects="
        + badObjects;
  }

  /** True when every invariant held. */
  public boolean ok() {
    return violations.isEmpty();
  }

  /** How many kills found at least one of the victim's jobs in each stage, and how many jobs. */
  public Map<Stage, int[]> killsByStage() {
    Map<Stage, int[]> out = new EnumMap<>(Stage.class);
    for (Stage s : Stage.values()) {
      out.put(s, new int[2]);
    }
    for (Killer.KillRecord k : kills) {
      k.stages()
          .ifPresent(
              m ->
                  m.forEach(
                      (stage, n) -> {
                        if (n > 0) {
                          out.get(stage)[0]++;
                          out.get(stage)[1] += n;
                        }
                      }));
    }
    return out;
  }

  /** Every line of the report; the last one is {@link #line()}. */
  public List<String> lines() {
    List<String> out = new ArrayList<>();
    long unknown = kills.stream().filter(k -> k.stages().isEmpty()).count();
    out.add(
        "chaos: kills="
            + kills.size()
            + " (stages unknown for "
            + unknown
            + ": group rebalancing or broker away at kill time)");
    killsByStage()
        .forEach(
            (s, v) ->
                out.add(
                    "chaos:   kills landing while victim jobs were "
                        + s
                        + ": "
                        + v[0]
                        + " (jobs caught: "
                        + v[1]
                        + ")"));
    faults.forEach(f -> out.add("chaos: fault " + f));
    out.add("chaos: details " + new TreeMap<>(details));
    out.add("chaos: failure reasons " + failureReasons);
    ambiguousReasons.forEach((r, n) -> out.add("chaos: AMBIGUOUS x" + n + ": " + r));
    violations.forEach(v -> out.add("chaos: VIOLATION " + v));
    out.add(line());
    return out;
  }
}
