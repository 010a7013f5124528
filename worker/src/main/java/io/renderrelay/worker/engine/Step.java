package io.renderrelay.worker.engine;

/**
 * One step of work on one job, run on a virtual thread. Steps of one job never run concurrently,
 * and a step sees every ledger state committed before it.
 */
@FunctionalInterface
public interface Step {

  StepResult run() throws Exception;
}
