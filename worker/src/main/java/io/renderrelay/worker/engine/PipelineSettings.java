package io.renderrelay.worker.engine;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * How the loop runs.
 *
 * @param commandTopics topics whose intake stops while submissions are not allowed
 * @param delayTopics fixed-delay poll topics: records wait (partition paused) until their due time
 * @param maxInFlight steps running or waiting before every partition is paused (backpressure)
 * @param maxStepAttempts unexpected failures of one step before the record is given up
 */
public record PipelineSettings(
    Set<String> commandTopics,
    Map<String, Duration> delayTopics,
    Duration commitInterval,
    int maxInFlight,
    Duration drainGrace,
    int maxStepAttempts,
    Duration pollTimeout) {

  public PipelineSettings {
    commandTopics = Set.copyOf(commandTopics);
    delayTopics = Map.copyOf(delayTopics);
  }
}
