package io.renderrelay.worker.engine;

/** A finished step: its result, or the unexpected error it threw. */
record Completion(Work work, StepResult result, Throwable error) {}
