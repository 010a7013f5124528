package io.renderrelay.worker.app;

import io.renderrelay.worker.engine.PipelineListener;
import io.renderrelay.worker.provider.RateLimiter;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shares a global provider budget across replicas: after each rebalance this replica's limiters run
 * at (owned partitions / total partitions) of the configured rates, so all replicas together stay
 * within the account's budget as they scale in and out.
 */
final class RateShare implements PipelineListener {

  private static final Logger log = LoggerFactory.getLogger(RateShare.class);

  private final List<RateLimiter> limiters;
  private final int totalPartitions;

  RateShare(List<RateLimiter> limiters, int totalPartitions) {
    this.limiters = List.copyOf(limiters);
    this.totalPartitions = totalPartitions;
  }

  @Override
  public void partitionsOwned(Set<Integer> partitions) {
    double fraction = Math.max(1, partitions.size()) / (double) totalPartitions;
    limiters.forEach(l -> l.share(Math.min(1.0, fraction)));
    log.info(
        "provider rate share {} of {} partitions: {}",
        partitions.size(),
        totalPartitions,
        limiters);
  }
}
