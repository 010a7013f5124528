package io.renderrelay.devstack.simulator;

/** The two Feed Get Task answer formats seen in the wild (see provider-contract.md). */
public enum AnswerFormat {
  /** {@code code} 200 (int), {@code msg}, {@code data.status} "0".."3", times as strings. */
  CLASSIC,
  /** {@code code} "success", {@code message}, upper-case statuses, nested Runway task. */
  MODERN
}
