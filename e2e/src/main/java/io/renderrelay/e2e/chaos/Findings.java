package io.renderrelay.e2e.chaos;

import java.util.ArrayList;
import java.util.List;

/** The running totals and the violations of one chaos check (the first 50 lines are kept). */
final class Findings {
  private static final int MAX_VIOLATION_LINES = 50;

  private final List<String> violations = new ArrayList<>();
  private int violationCount;

  int completed;
  int failed;
  int ambiguous;
  int unpaidAmbiguous;
  int stuck;
  int failedEarly;
  int lost;
  int duplicates;
  int doublePaid;
  int badObjects;
  int refundResubmits;
  int objectsVerified;
  int strays;

  void violation(String v) {
    violationCount++;
    if (violations.size() < MAX_VIOLATION_LINES) {
      violations.add(v);
    }
  }

  /** The violations kept, and a line saying how many more there were. */
  List<String> violationLines() {
    List<String> lines = new ArrayList<>(violations);
    if (violationCount > MAX_VIOLATION_LINES) {
      lines.add("... and " + (violationCount - MAX_VIOLATION_LINES) + " more");
    }
    return List.copyOf(lines);
  }
}
