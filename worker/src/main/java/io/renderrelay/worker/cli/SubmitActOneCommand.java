package io.renderrelay.worker.cli;

import io.renderrelay.avro.ActOneCommand;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code render-relay submit act-one}. */
@Command(
    name = "act-one",
    mixinStandardHelpOptions = true,
    description = {
      "Publish an ActOneCommand (move a character image with a performance video) to the"
          + " act-one command topic.",
      "Needs --video and --image (or a --file with performanceVideoUrl and characterImageUrl).",
      "Prints jobId, topic, partition and offset."
    })
final class SubmitActOneCommand implements Callable<Integer> {

  @Mixin GlobalOptions global;
  @Mixin SubmitOptions submit;

  @Option(
      names = "--video",
      paramLabel = "URL",
      description = "https URL of the performance video (performanceVideoUrl).")
  String video;

  @Option(
      names = "--image",
      paramLabel = "URL",
      description = "https URL of the character image (characterImageUrl).")
  String image;

  private final CliContext ctx;

  SubmitActOneCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() throws InterruptedException {
    Map<String, Object> flags = new LinkedHashMap<>();
    flags.put("performanceVideoUrl", video);
    flags.put("characterImageUrl", image);
    return Submission.run(
        ctx,
        global,
        submit,
        flags,
        ActOneCommand.class,
        ActOneCommand.getClassSchema(),
        global.topics().actOne(),
        Map.of("performanceVideoUrl", "--video", "characterImageUrl", "--image"));
  }
}
