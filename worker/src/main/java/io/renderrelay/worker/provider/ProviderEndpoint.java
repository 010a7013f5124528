package io.renderrelay.worker.provider;

/** The provider calls the worker makes; a bounded metric tag. */
public enum ProviderEndpoint {
  RESTYLE(true),
  ACT_ONE(true),
  FEED(false);

  private final boolean submit;

  ProviderEndpoint(boolean submit) {
    this.submit = submit;
  }

  /** A paid submit (no idempotency key) rather than a free poll. */
  boolean isSubmit() {
    return submit;
  }

  /** Lower-case name for logs and metric tags. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
