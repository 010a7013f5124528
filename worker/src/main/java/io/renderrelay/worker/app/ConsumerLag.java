package io.renderrelay.worker.app;

import io.renderrelay.worker.config.WorkerConfig.Topics;
import io.renderrelay.worker.engine.PipelineListener;
import io.renderrelay.worker.metrics.Metrics;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The consumer lag per input (restyle commands, act-one commands, poll now, the poll tiers summed)
 * and the jobs in flight per poll topic, from the lag the engine reports per topic. It keeps the
 * last lag of each tier to report their sum.
 */
final class ConsumerLag implements PipelineListener {

  private final Metrics metrics;
  private final Topics topics;
  private final Map<String, Long> tierLag = new ConcurrentHashMap<>();

  ConsumerLag(Metrics metrics, Topics topics) {
    this.metrics = metrics;
    this.topics = topics;
  }

  @Override
  public void lag(String topic, long records) {
    if (topic.equals(topics.restyleCommands())) {
      metrics.consumerLag("restyle_commands", records);
    } else if (topic.equals(topics.actOneCommands())) {
      metrics.consumerLag("act_one_commands", records);
    } else if (topic.equals(topics.pollNow())) {
      metrics.consumerLag("poll_now", records);
      metrics.jobsInFlight(topic, records);
    } else {
      tierLag.put(topic, records);
      metrics.consumerLag("poll_tiers", tierLag.values().stream().mapToLong(Long::longValue).sum());
      metrics.jobsInFlight(topic, records);
    }
  }
}
