package io.renderrelay.e2e.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What a chaos run does to the fleet; {@code scripts/chaos --scenario LIST} names them. */
enum Scenario {
  /** Today's chaos: SIGKILLs, a broker restart, an S3 outage and provider bursts (the default). */
  KILL,
  /** A rolling deploy over a backlog: each worker replaced in turn (start new, SIGTERM old). */
  DEPLOY,
  /** 1 -> 3 -> 1 workers under load, with a small {@code provider.max-tasks-in-flight}. */
  SCALE,
  /** One worker SIGSTOPped past the session timeout, then SIGCONT. */
  STALL,
  /** One worker's clock 10 minutes ahead. */
  SKEW,
  /** Release N hands over to N+1 (a new optional schema field) mid-run, and back (rollback). */
  UPGRADE;

  /** The name used on the command line and in the summary line. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a comma-separated list such as {@code deploy,scale}; {@code kill} runs only alone (it
   * has its own plan and stack).
   */
  public static List<Scenario> parse(String list) {
    List<Scenario> out = new ArrayList<>();
    for (String part : list.split(",", -1)) {
      String name = part.trim();
      Scenario s = null;
      for (Scenario candidate : values()) {
        if (candidate.label().equals(name)) {
          s = candidate;
        }
      }
      if (s == null) {
        throw new IllegalArgumentException(
            "unknown scenario '" + name + "' (known: kill, deploy, scale, stall, skew, upgrade)");
      }
      if (out.contains(s)) {
        throw new IllegalArgumentException("scenario '" + name + "' is listed twice");
      }
      out.add(s);
    }
    if (out.contains(KILL) && out.size() > 1) {
      throw new IllegalArgumentException(
          "'kill' runs alone (its own plan of SIGKILLs and faults); run it separately");
    }
    return List.copyOf(out);
  }
}
