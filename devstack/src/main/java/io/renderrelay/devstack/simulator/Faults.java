package io.renderrelay.devstack.simulator;

import java.util.List;

/**
 * The fault knobs of a running simulator, each settable and clearable at runtime (null or 0
 * clears). Thread-safe: every knob is an independent volatile field.
 *
 * <p>Provider faults (401/429/5xx/403/slow) apply to the API endpoints (submit and feed); output
 * faults (expiry, redirect, private URLs, oversize) to the file endpoint and output URLs.
 */
public final class Faults {

  /** 429 with probability {@code probability}, carrying {@code Retry-After} when > 0. */
  public record Rate429(double probability, int retryAfterSeconds) {
    public Rate429 {
      checkProbability(probability);
      if (retryAfterSeconds < 0) {
        throw new IllegalArgumentException("retryAfterSeconds must be >= 0");
      }
    }
  }

  /** A 5xx picked from {@code statuses}; a 5xx on submit creates no task. */
  public record Rate5xx(double probability, List<Integer> statuses) {
    public Rate5xx {
      checkProbability(probability);
      statuses = List.copyOf(statuses == null || statuses.isEmpty() ? List.of(500) : statuses);
      for (int s : statuses) {
        if (s < 500 || s > 599) {
          throw new IllegalArgumentException("rate5xx statuses must be 5xx, got " + s);
        }
      }
    }
  }

  /** Answers delayed by {@code delayMillis} (after the work is done: a slow submit still pays). */
  public record SlowAnswers(double probability, long delayMillis) {
    public SlowAnswers {
      checkProbability(probability);
      if (delayMillis < 0) {
        throw new IllegalArgumentException("delayMillis must be >= 0");
      }
    }
  }

  /** Tasks fail with a moderation reason (e.g. "SAFETY.INPUT.TEXT: content moderation"). */
  public record Moderation(double probability, String failReason) {
    public Moderation {
      checkProbability(probability);
      if (failReason == null || failReason.isBlank()) {
        failReason = "SAFETY.INPUT.TEXT: content moderation";
      }
    }
  }

  /** Polls answer the status {@code status} (nobody knows it) until the task ends. */
  public record UnknownStatus(double probability, String status) {
    public UnknownStatus {
      checkProbability(probability);
      if (status == null || status.isBlank()) {
        status = "WEIRD_STATE";
      }
    }
  }

  /** Outputs answer {@code status} (403 or 404) once {@code deliveryWindowMillis} after success. */
  public record ExpireOutputs(int status, long deliveryWindowMillis) {
    public ExpireOutputs {
      if (status != 403 && status != 404 && status != 410) {
        throw new IllegalArgumentException("expireOutputs status must be 403, 404 or 410");
      }
      if (deliveryWindowMillis < 0) {
        throw new IllegalArgumentException("deliveryWindowMillis must be >= 0");
      }
    }
  }

  /**
   * Every file is served with {@code bytes} bytes; with {@code declareLength} false the answer is
   * chunked (no Content-Length), so only counting the body reveals the size.
   */
  public record Oversize(long bytes, boolean declareLength) {
    public Oversize {
      if (bytes < 0) {
        throw new IllegalArgumentException("oversize bytes must be >= 0");
      }
    }
  }

  /** A snapshot of every knob (for JSON and logs). */
  public record Snapshot(
      Rate429 rate429,
      Rate5xx rate5xx,
      SlowAnswers slowAnswers,
      double failTasks,
      Moderation moderationFailures,
      double loseCallbacks,
      double duplicateCallbacks,
      ExpireOutputs expireOutputs,
      boolean wrongKey,
      boolean noCredit,
      UnknownStatus unknownStatus,
      String outputBaseUrl,
      String fileRedirect,
      Oversize oversize) {}

  private volatile Rate429 rate429;
  private volatile Rate5xx rate5xx;
  private volatile SlowAnswers slowAnswers;
  private volatile double failTasks;
  private volatile Moderation moderationFailures;
  private volatile double loseCallbacks;
  private volatile double duplicateCallbacks;
  private volatile ExpireOutputs expireOutputs;
  private volatile boolean wrongKey;
  private volatile boolean noCredit;
  private volatile UnknownStatus unknownStatus;
  private volatile String outputBaseUrl;
  private volatile String fileRedirect;
  private volatile Oversize oversize;

  public Rate429 rate429() {
    return rate429;
  }

  public void rate429(Rate429 v) {
    rate429 = v;
  }

  public Rate5xx rate5xx() {
    return rate5xx;
  }

  public void rate5xx(Rate5xx v) {
    rate5xx = v;
  }

  public SlowAnswers slowAnswers() {
    return slowAnswers;
  }

  public void slowAnswers(SlowAnswers v) {
    slowAnswers = v;
  }

  /** Probability that a new task ends in a refunded provider failure. */
  public double failTasks() {
    return failTasks;
  }

  public void failTasks(double p) {
    failTasks = checkProbability(p);
  }

  public Moderation moderationFailures() {
    return moderationFailures;
  }

  public void moderationFailures(Moderation v) {
    moderationFailures = v;
  }

  public double loseCallbacks() {
    return loseCallbacks;
  }

  public void loseCallbacks(double p) {
    loseCallbacks = checkProbability(p);
  }

  public double duplicateCallbacks() {
    return duplicateCallbacks;
  }

  public void duplicateCallbacks(double p) {
    duplicateCallbacks = checkProbability(p);
  }

  public ExpireOutputs expireOutputs() {
    return expireOutputs;
  }

  public void expireOutputs(ExpireOutputs v) {
    expireOutputs = v;
  }

  /** When on, every API call answers 401 whatever key it carries. */
  public boolean wrongKey() {
    return wrongKey;
  }

  public void wrongKey(boolean on) {
    wrongKey = on;
  }

  /** When on, every submit answers 403 insufficient balance. */
  public boolean noCredit() {
    return noCredit;
  }

  public void noCredit(boolean on) {
    noCredit = on;
  }

  public UnknownStatus unknownStatus() {
    return unknownStatus;
  }

  public void unknownStatus(UnknownStatus v) {
    unknownStatus = v;
  }

  /** Base URL (scheme://host[:port]) output URLs point at instead of the simulator's own. */
  public String outputBaseUrl() {
    return outputBaseUrl;
  }

  public void outputBaseUrl(String v) {
    outputBaseUrl = blankToNull(v);
  }

  /** When set, the file endpoint answers 302 with this Location. */
  public String fileRedirect() {
    return fileRedirect;
  }

  public void fileRedirect(String v) {
    fileRedirect = blankToNull(v);
  }

  public Oversize oversize() {
    return oversize;
  }

  public void oversize(Oversize v) {
    oversize = v;
  }

  /** Clears every knob. */
  public void clear() {
    rate429 = null;
    rate5xx = null;
    slowAnswers = null;
    failTasks = 0;
    moderationFailures = null;
    loseCallbacks = 0;
    duplicateCallbacks = 0;
    expireOutputs = null;
    wrongKey = false;
    noCredit = false;
    unknownStatus = null;
    outputBaseUrl = null;
    fileRedirect = null;
    oversize = null;
  }

  public Snapshot snapshot() {
    return new Snapshot(
        rate429,
        rate5xx,
        slowAnswers,
        failTasks,
        moderationFailures,
        loseCallbacks,
        duplicateCallbacks,
        expireOutputs,
        wrongKey,
        noCredit,
        unknownStatus,
        outputBaseUrl,
        fileRedirect,
        oversize);
  }

  @Override
  public String toString() {
    return "Faults" + snapshot();
  }

  static double checkProbability(double p) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException("probability must be within 0..1, got " + p);
    }
    return p;
  }

  private static String blankToNull(String v) {
    return v == null || v.isBlank() ? null : v;
  }
}
