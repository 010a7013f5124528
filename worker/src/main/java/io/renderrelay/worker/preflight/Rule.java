package io.renderrelay.worker.preflight;

import java.util.Locale;

/** Which pre-flight rule refused an input; a bounded metric tag. */
public enum Rule {
  /** The URL is refused (SSRF rules, redirects) or answers 404, 403, 410 or another 4xx. */
  REACHABLE,
  /** Served as, or made of, something else than the input's kind (an HTML page, a corrupt file). */
  TYPE,
  /** Larger than the provider takes, or empty. */
  SIZE,
  /** Not 16:9 where the provider wants 16:9 (act-one). */
  RATIO;

  /** The metric tag value. */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
