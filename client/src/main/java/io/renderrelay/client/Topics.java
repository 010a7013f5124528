package io.renderrelay.client;

/**
 * Default topic names of render-relay. The worker's configuration takes its defaults from here and
 * docs/asyncapi.yaml must use the same addresses (checked by a test).
 */
public final class Topics {

  /** Restyle (video-to-video) commands from upstream services; key jobId. */
  public static final String RESTYLE_COMMANDS = "render.commands.restyle";

  /** Act-one (expression transfer) commands from upstream services; key jobId. */
  public static final String ACT_ONE_COMMANDS = "render.commands.act-one";

  /** Terminal events (RenderCompleted, RenderFailed) for downstream services; key jobId. */
  public static final String EVENTS = "render.events";

  /** Dead letters: original bytes and headers plus {@link DltHeaders}; key as received. */
  public static final String DEAD_LETTER = "render.dlt";

  /** Internal: the compacted job ledger; key jobId. */
  public static final String JOBS = "render.jobs";

  /** Internal: prefix of the fixed-delay poll topics, e.g. {@code render.poll.30s}. */
  public static final String POLL_PREFIX = "render.poll.";

  private Topics() {}
}
