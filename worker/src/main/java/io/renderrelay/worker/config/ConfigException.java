package io.renderrelay.worker.config;

import java.util.List;
import java.util.stream.Collectors;

/** The configuration is invalid; the message lists every problem at once, secrets redacted. */
public final class ConfigException extends Exception {
  private final transient List<ConfigProblem> problems;

  ConfigException(List<ConfigProblem> problems) {
    super(message(problems));
    this.problems = List.copyOf(problems);
  }

  public List<ConfigProblem> problems() {
    return problems;
  }

  private static String message(List<ConfigProblem> problems) {
    return "Invalid configuration ("
        + problems.size()
        + (problems.size() == 1 ? " problem" : " problems")
        + "):\n"
        + problems.stream().map(p -> "  - " + p.describe()).collect(Collectors.joining("\n"));
  }
}
