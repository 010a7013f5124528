package io.renderrelay.worker.cli;

import io.renderrelay.avro.RestyleCommand;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code render-relay submit restyle}. */
@Command(
    name = "restyle",
    mixinStandardHelpOptions = true,
    description = {
      "Publish a RestyleCommand (redraw a video in a new style) to the restyle command topic.",
      "Needs --video and --prompt (or a --file with sourceVideoUrl and prompt).",
      "Prints jobId, topic, partition and offset."
    })
final class SubmitRestyleCommand implements Callable<Integer> {

  @Mixin GlobalOptions global;
  @Mixin SubmitOptions submit;

  @Option(
      names = "--video",
      paramLabel = "URL",
      description = "https URL of the source video (sourceVideoUrl).")
  String video;

  @Option(
      names = "--prompt",
      paramLabel = "TEXT",
      description = "The target style, e.g. 'pixelated style'.")
  String prompt;

  @Option(
      names = "--model",
      paramLabel = "MODEL",
      description = "Provider model (schema default gen4).")
  String model;

  @Option(
      names = "--structure-transformation",
      paramLabel = "0..1",
      description = "How far the structure may move from the source, 0..1 (default 0.5).")
  Double structureTransformation;

  @Option(names = "--flip", description = "Flip the output horizontally.")
  Boolean flip;

  private final CliContext ctx;

  SubmitRestyleCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() throws InterruptedException {
    if (structureTransformation != null
        && (structureTransformation < 0 || structureTransformation > 1)) {
      throw new CliUsageException("--structure-transformation must be between 0 and 1");
    }
    Map<String, Object> flags = new LinkedHashMap<>();
    flags.put("sourceVideoUrl", video);
    flags.put("prompt", prompt);
    flags.put("model", model);
    flags.put("options.structureTransformation", structureTransformation);
    flags.put("options.flip", flip);
    return Submission.run(
        ctx,
        global,
        submit,
        flags,
        RestyleCommand.class,
        RestyleCommand.getClassSchema(),
        global.topics().restyle(),
        Map.of("sourceVideoUrl", "--video", "prompt", "--prompt"));
  }
}
