package io.renderrelay.worker.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** The {@code --read-timeout} of the commands that read a topic to its end. */
final class ReadTimeoutOption {

  @Option(
      names = "--read-timeout",
      paramLabel = "DURATION",
      defaultValue = "60s",
      converter = TimeConverters.Span.class,
      description = "Give up reading the topic after this long (default: ${DEFAULT-VALUE}).")
  Duration timeout;
}
