package io.renderrelay.worker.preflight;

import java.util.List;

/** What the pre-flight check says about a job's inputs. */
public sealed interface Verdict {

  /**
   * Nothing refuses the inputs. {@code unchecked} lists what could not be decided (a header out of
   * reach, a format whose size is not parsed): those go to the provider as they are.
   */
  record Passed(List<String> unchecked) implements Verdict {
    public Passed {
      unchecked = List.copyOf(unchecked);
    }
  }

  /** An input the provider would refuse: the job fails unpaid with INPUT_REJECTED. */
  record Rejected(Rule rule, String reason) implements Verdict {}

  /** A transient failure (timeout, reset, 408, 429, 5xx): try again later. */
  record Transient(String reason) implements Verdict {}
}
