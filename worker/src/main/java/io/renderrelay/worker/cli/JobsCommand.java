package io.renderrelay.worker.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code render-relay jobs}: the job ledger, decoded. */
@Command(
    name = "jobs",
    mixinStandardHelpOptions = true,
    description =
        "Where is a job: the ledger (render.jobs), decoded with every released schema version.",
    subcommands = {JobsShowCommand.class, JobsListCommand.class})
final class JobsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing subcommand: show or list");
  }
}
