package io.renderrelay.worker.engine;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How the loop runs. Built by name: {@link #forTopics} gives the defaults, {@code with*} changes
 * one setting.
 *
 * @param commandTopics topics whose intake stops while submissions are not allowed
 * @param delayTopics fixed-delay poll topics: records wait (partition paused) until their due time
 * @param commitInterval least time between two transaction commits (zero: commit every poll)
 * @param maxInFlight steps running or waiting before every partition is paused (backpressure)
 * @param drainGrace how long a shutdown or a revoke waits for the steps in flight
 * @param maxStepAttempts unexpected failures of one step before the record is given up
 * @param pollTimeout longest wait of one consumer poll while no step is in flight
 */
public record PipelineSettings(
    Set<String> commandTopics,
    Map<String, Duration> delayTopics,
    Duration commitInterval,
    int maxInFlight,
    Duration drainGrace,
    int maxStepAttempts,
    Duration pollTimeout) {

  /** Unexpected failures of one step before its record is given up, by default. */
  public static final int DEFAULT_MAX_STEP_ATTEMPTS = 3;

  /** The default consumer poll timeout. */
  public static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofMillis(100);

  public PipelineSettings {
    commandTopics = Set.copyOf(commandTopics);
    delayTopics = Map.copyOf(delayTopics);
    Objects.requireNonNull(commitInterval, "commitInterval");
    Objects.requireNonNull(drainGrace, "drainGrace");
    Objects.requireNonNull(pollTimeout, "pollTimeout");
    if (maxInFlight < 1 || maxStepAttempts < 1) {
      throw new IllegalArgumentException(
          "maxInFlight and maxStepAttempts must be >= 1, were "
              + maxInFlight
              + " and "
              + maxStepAttempts);
    }
  }

  /**
   * The settings for these topics: a commit at every turn of the loop, no backpressure, no drain
   * wait (the worker sets all three from its configuration), {@value #DEFAULT_MAX_STEP_ATTEMPTS}
   * attempts of a step, a 100 ms consumer poll.
   */
  public static PipelineSettings forTopics(
      Set<String> commandTopics, Map<String, Duration> delayTopics) {
    return new PipelineSettings(
        commandTopics,
        delayTopics,
        Duration.ZERO,
        Integer.MAX_VALUE,
        Duration.ZERO,
        DEFAULT_MAX_STEP_ATTEMPTS,
        DEFAULT_POLL_TIMEOUT);
  }

  public PipelineSettings withCommitInterval(Duration value) {
    return new PipelineSettings(
        commandTopics, delayTopics, value, maxInFlight, drainGrace, maxStepAttempts, pollTimeout);
  }

  public PipelineSettings withMaxInFlight(int value) {
    return new PipelineSettings(
        commandTopics,
        delayTopics,
        commitInterval,
        value,
        drainGrace,
        maxStepAttempts,
        pollTimeout);
  }

  public PipelineSettings withDrainGrace(Duration value) {
    return new PipelineSettings(
        commandTopics,
        delayTopics,
        commitInterval,
        maxInFlight,
        value,
        maxStepAttempts,
        pollTimeout);
  }

  public PipelineSettings withPollTimeout(Duration value) {
    return new PipelineSettings(
        commandTopics,
        delayTopics,
        commitInterval,
        maxInFlight,
        drainGrace,
        maxStepAttempts,
        value);
  }
}
