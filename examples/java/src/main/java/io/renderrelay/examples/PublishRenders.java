package io.renderrelay.examples;

import io.renderrelay.client.ActOneRequest;
import io.renderrelay.client.PublisherConfig;
import io.renderrelay.client.RegistrySettings;
import io.renderrelay.client.RenderClients;
import io.renderrelay.client.RenderCommandPublisher;
import io.renderrelay.client.RestyleRequest;
import io.renderrelay.client.Submitted;
import io.renderrelay.client.validation.ValidationException;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An upstream service: publishes one restyle and one act-one command with caller metadata through
 * {@link RenderCommandPublisher} and prints one line per accepted command:
 *
 * <pre>submitted type=restyle jobId=... topic=render.commands.restyle partition=0 offset=0</pre>
 *
 * <p>Usage: {@code PublishRenders <bootstrap> <registryUrl> [--no-register]}. Against {@code
 * scripts/devstack} nothing registers the command schemas beforehand, so the example registers them
 * (development only, see docs/client.md); {@code --no-register} behaves like production.
 */
public final class PublishRenders {

  private static final String USAGE =
      "usage: PublishRenders <bootstrap> <registryUrl> [--no-register]";

  private PublishRenders() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err, Clock.systemUTC()));
  }

  /**
   * Runs the example.
   *
   * @return 0 when both commands were acknowledged, 1 when one was refused or not sent, 2 on bad
   *     arguments
   */
  public static int run(String[] args, PrintStream out, PrintStream err, Clock clock) {
    if (args.length < 2
        || args.length > 3
        || (args.length == 3 && !args[2].equals("--no-register"))) {
      err.println(USAGE);
      return 2;
    }
    PublisherConfig config =
        PublisherConfig.builder(args[0], RegistrySettings.of(args[1]))
            .autoRegisterSchemas(args.length == 2)
            .build();
    String order = "order-" + UUID.randomUUID();
    try (RenderCommandPublisher publisher = new RenderClients(clock).publisher(config)) {
      List<Submitted> sent = new ArrayList<>();
      sent.add(
          publisher
              .submitRestyle(
                  RestyleRequest.of("https://cdn.example.com/uploads/clip.mp4", "pixelated style")
                      .withStructureTransformation(0.4)
                      .withMetadata(Map.of("tenant", "acme", "order", order))
                      .withDeadline(clock.instant().plus(Duration.ofHours(1))))
              .join());
      sent.add(
          publisher
              .submitActOne(
                  ActOneRequest.of(
                          "https://cdn.example.com/uploads/performance.mp4",
                          "https://cdn.example.com/uploads/character.png")
                      .withMetadata(Map.of("tenant", "acme", "order", order)))
              .join());
      for (Submitted s : sent) {
        out.printf(
            "submitted type=%s jobId=%s topic=%s partition=%d offset=%d%n",
            s.topic().endsWith("act-one") ? "act-one" : "restyle",
            s.jobId(),
            s.topic(),
            s.partition(),
            s.offset());
      }
      out.flush();
      return 0;
    } catch (ValidationException e) {
      e.violations()
          .forEach(v -> err.println("invalid " + v.field() + " " + v.code() + ": " + v.message()));
      return 1;
    } catch (RuntimeException e) {
      err.println(
          "publishing failed (the command may or may not be on the topic; resend with the"
              + " same jobId): "
              + e);
      return 1;
    }
  }
}
