package io.renderrelay.worker.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code render-relay submit}: publish a command. */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    description = "Publish a restyle or act-one command (Avro, key = jobId) to its command topic.",
    subcommands = {SubmitRestyleCommand.class, SubmitActOneCommand.class})
final class SubmitCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing subcommand: restyle or act-one");
  }
}
