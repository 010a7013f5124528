package io.renderrelay.worker.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code render-relay events}: terminal events. */
@Command(
    name = "events",
    mixinStandardHelpOptions = true,
    description = "Follow the terminal events topic (render.events).",
    subcommands = {EventsTailCommand.class})
final class EventsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing subcommand: tail");
  }
}
