package io.renderrelay.worker.provider;

/** How one provider request ended; a bounded metric tag. */
public enum OutcomeClass {
  OK,
  RETRYABLE,
  AMBIGUOUS,
  TASK_NOT_FOUND,
  REJECTED,
  FATAL;

  /** The class of a classified error. */
  public static OutcomeClass of(ProviderException error) {
    return switch (error) {
      case ProviderException.Retryable r -> RETRYABLE;
      case ProviderException.Ambiguous a -> AMBIGUOUS;
      case ProviderException.TaskNotFound t -> TASK_NOT_FOUND;
      case ProviderException.Rejected r -> REJECTED;
      case ProviderException.Fatal f -> FATAL;
    };
  }

  /** Lower-case name for logs and metric tags. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
