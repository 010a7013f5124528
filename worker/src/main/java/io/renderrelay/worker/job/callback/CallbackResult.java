package io.renderrelay.worker.job.callback;

/** What a {@link CallbackHandler} did with a callback, and the HTTP status it maps to. */
public enum CallbackResult {
  /** Turned into a "poll now" ticket (or already known): 202. */
  ACCEPTED(202, "accepted"),
  /** The token does not match the job's: 403. */
  FORBIDDEN(403, "forbidden"),
  /** No such job (or already finished and forgotten): 404. */
  NOT_FOUND(404, "not_found"),
  /** The body is not a callback the worker understands: 400. */
  BAD_REQUEST(400, "bad_request"),
  /** The worker cannot take it right now (e.g. not ready): 503. */
  UNAVAILABLE(503, "unavailable");

  private final int status;
  private final String metricValue;

  CallbackResult(int status, String metricValue) {
    this.status = status;
    this.metricValue = metricValue;
  }

  public int status() {
    return status;
  }

  /** The value of the callback metric's result tag. */
  public String metricValue() {
    return metricValue;
  }
}
