package io.renderrelay.client.validation;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown when a command breaks one or more {@link ValidationRules}; carries every violation, not
 * only the first. Nothing was sent when a publisher throws it.
 */
public final class ValidationException extends RuntimeException {

  private final transient List<Violation> violations;

  /**
   * Creates the exception.
   *
   * @param what short description of the rejected thing, e.g. {@code "RestyleCommand job-1"}
   * @param violations the broken rules; must not be empty
   */
  public ValidationException(String what, List<Violation> violations) {
    super(message(what, violations));
    if (violations.isEmpty()) {
      throw new IllegalArgumentException("a ValidationException needs at least one violation");
    }
    this.violations = List.copyOf(violations);
  }

  /** Returns every broken rule, in the order they were found. */
  public List<Violation> violations() {
    return violations;
  }

  private static String message(String what, List<Violation> violations) {
    return "invalid "
        + what
        + ": "
        + violations.stream().map(Violation::toString).collect(Collectors.joining("; "));
  }
}
