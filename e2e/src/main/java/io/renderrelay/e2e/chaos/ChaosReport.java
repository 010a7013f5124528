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
 * @param scenarios what the run did, e.g. {@code kill} or {@code deploy,scale,stall,skew}
 * @param jobs commands published
 * @param completed jobs whose one terminal event is RenderCompleted
 * @param failed jobs whose one terminal event is a RenderFailed other than AMBIGUOUS_SUBMIT
 * @param ambiguous jobs failed as AMBIGUOUS_SUBMIT (payment in doubt, never resubmitted)
 * @param unpaidAmbiguous AMBIGUOUS jobs the provider never received (no paid task): the worker gave
 *     up on a submit that was never sent
 * @param stuck jobs without a terminal event by their deadline plus grace (a job whose event came
 *     later counts too; a lost job counts once its deadline plus grace has passed)
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
record ChaosReport(
    List<String> scenarios,
    int jobs,
    int completed,
    int failed,
    int ambiguous,
    int unpaidAmbiguous,
    int stuck,
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
    return "chaos: scenarios="
        + String.join(",", scenarios)
        + " jobs="
        + jobs
        + " completed="
        + completed
        + " failed="
        + failed
        + " ambiguous="
        + ambiguous
        + " unpaid_ambiguous="
        + unpaidAmbiguous
        + " stuck="
        + stuck
        + " lost="
        + lost
        + " duplicate_events="
        + duplicateEvents
        + " double_paid="
        + doublePaid
        + " bad_objects="
        + badObjects;
  }

  /**
   * This report with more details and violations (from the run itself, not the checker), and the
   * scenarios that ran.
   */
  public ChaosReport withRunNotes(
      List<String> ranScenarios, Map<String, Long> moreDetails, List<String> moreViolations) {
    SortedMap<String, Long> d = new TreeMap<>(details);
    d.putAll(moreDetails);
    List<String> v = new ArrayList<>(violations);
    v.addAll(moreViolations);
    return new ChaosReport(
        List.copyOf(ranScenarios),
        jobs,
        completed,
        failed,
        ambiguous,
        unpaidAmbiguous,
        stuck,
        lost,
        duplicateEvents,
        doublePaid,
        badObjects,
        d,
        failureReasons,
        ambiguousReasons,
        kills,
        faults,
        List.copyOf(v));
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
    if (!kills.isEmpty()) {
      killLines(out);
    }
    faults.forEach(f -> out.add("chaos: fault " + f));
    out.add("chaos: details " + new TreeMap<>(details));
    out.add("chaos: failure reasons " + failureReasons);
    ambiguousReasons.forEach((r, n) -> out.add("chaos: AMBIGUOUS x" + n + ": " + r));
    violations.forEach(v -> out.add("chaos: VIOLATION " + v));
    out.add(line());
    return out;
  }

  private void killLines(List<String> out) {
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
  }
}
