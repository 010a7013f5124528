package io.renderrelay.worker.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code render-relay dlt}: the dead-letter topic. */
@Command(
    name = "dlt",
    mixinStandardHelpOptions = true,
    description = "Look at and replay records in the dead-letter topic (render.dlt).",
    subcommands = {DltListCommand.class, DltInspectCommand.class, DltReplayCommand.class})
final class DltCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing subcommand: list, inspect or replay");
  }
}
