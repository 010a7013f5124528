package io.renderrelay.devstack.simulator;

/** The two paid job types the simulator renders. */
public enum JobKind {
  RESTYLE("VIDEO_TO_VIDEO"),
  ACT_ONE("ACT_ONE");

  private final String action;

  JobKind(String action) {
    this.action = action;
  }

  /** The gateway's {@code action} name in the MODERN format. */
  String action() {
    return action;
  }
}
