package io.renderrelay.worker.spend;

import io.renderrelay.avro.JobState;
import io.renderrelay.avro.JobType;
import io.renderrelay.worker.config.SpendSettings;
import io.renderrelay.worker.config.SpendSettings.Price;
import io.renderrelay.worker.job.state.JobCommand;
import java.util.Map;

/** What a job's paid submit is estimated to cost, and which tenant it is booked to. */
public final class Pricing {

  /** The tenant of a job whose command names none. */
  public static final String NO_TENANT = "none";

  private final SpendSettings settings;

  public Pricing(SpendSettings settings) {
    this.settings = settings;
  }

  public String currency() {
    return settings.currency();
  }

  /** True when a price table is configured: jobs carry their estimated cost. */
  public boolean priced() {
    return !settings.prices().isEmpty();
  }

  /** The tenant named by the command's metadata ({@code spend.tenant-key}), or {@code none}. */
  public String tenant(JobState job) {
    if (job.getTenant() != null) {
      return job.getTenant();
    }
    Map<String, String> metadata = JobCommand.of(job).map(JobCommand::metadata).orElse(null);
    String t = metadata == null ? null : metadata.get(settings.tenantKey());
    return t == null || t.isBlank() ? NO_TENANT : t.strip();
  }

  /**
   * The estimated cost of one paid submit of {@code job} in millionths: the first price table entry
   * for its type and model (an entry with a model comes first), per task plus per second times the
   * assumed output length; 0 when no entry applies.
   */
  public long estimate(JobState job) {
    String type = job.getJobType() == JobType.ACT_ONE ? "act-one" : "restyle";
    String model =
        JobCommand.of(job)
            .map(c -> c instanceof JobCommand.Restyle r ? r.avro().getModel() : null)
            .orElse(null);
    for (Price p : settings.prices()) {
      if (p.jobType().equals(type) && p.model().map(m -> m.equals(model)).orElse(true)) {
        return saturated(p.perTaskMicros(), p.perSecondMicros(), settings.outputSeconds());
      }
    }
    return 0;
  }

  /**
   * Per task plus per second times the length, or {@link Long#MAX_VALUE} where that overflows: a
   * price too large to add up is over every cap, never a wrapped-around negative cost.
   */
  private static long saturated(long perTask, long perSecond, java.time.Duration length) {
    try {
      return Math.addExact(perTask, Math.multiplyExact(perSecond, length.toSeconds()));
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }
}
