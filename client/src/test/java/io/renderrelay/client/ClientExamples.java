package io.renderrelay.client;

import io.renderrelay.avro.RenderCompleted;
import io.renderrelay.avro.RenderFailed;
import io.renderrelay.client.validation.ValidationException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The code snippets of docs/client.md, kept here so that they compile against the real API. Not a
 * test: nothing runs them (they need a broker and a registry).
 */
final class ClientExamples {

  private ClientExamples() {}

  static void publish() {
    // --- snippet: publish
    RenderClients clients = new RenderClients();
    PublisherConfig config =
        PublisherConfig.builder(
                "kafka-1:9092,kafka-2:9092", RegistrySettings.of("https://registry:8081"))
            .producerOverrides(Map.of("security.protocol", "SSL"))
            .build();
    try (RenderCommandPublisher publisher = clients.publisher(config)) {
      Submitted s =
          publisher
              .submitRestyle(
                  RestyleRequest.of("https://cdn.example.com/uploads/clip.mp4", "pixelated style")
                      .withJobId("order-4711") // your idempotency key; omit for a random UUID
                      .withStructureTransformation(0.4)
                      .withMetadata(Map.of("tenant", "acme"))
                      .withDeadline(Instant.now().plus(Duration.ofHours(1))))
              .join(); // or thenAccept(...): completes when the broker acknowledged
      System.out.println(
          "job " + s.jobId() + " at " + s.topic() + "/" + s.partition() + "@" + s.offset());
    } catch (ValidationException e) {
      // nothing was sent; e.violations() lists every broken rule (field, code, message)
      e.violations()
          .forEach(v -> System.err.println(v.field() + " " + v.code() + ": " + v.message()));
    }
    // --- end
  }

  static void transactional() {
    // --- snippet: transactional
    PublisherConfig config =
        PublisherConfig.builder("kafka:9092", RegistrySettings.of("https://registry:8081"))
            .transactionalId("order-service-0") // unique per running instance
            .build();
    try (RenderCommandPublisher publisher = new RenderClients().publisher(config)) {
      List<Submitted> both =
          publisher.inTransaction(
              tx -> {
                tx.submitRestyle(RestyleRequest.of("https://cdn.example.com/a.mp4", "watercolor"));
                tx.submitActOne(
                    ActOneRequest.of(
                        "https://cdn.example.com/perf.mp4", "https://cdn.example.com/face.png"));
              }); // all or nothing; a ValidationException aborts the transaction
      System.out.println(both);
    }
    // --- end
  }

  static void listen() {
    // --- snippet: listen
    RenderEventHandler handler =
        new RenderEventHandler() {
          @Override
          public void onCompleted(RenderCompleted e) {
            S3Location video = S3Location.of(e.getVideo()); // bucket, key, uri()
            // idempotent by jobId: the same event may come twice after a crash
            System.out.println(e.getJobId() + " -> " + video.uri());
          }

          @Override
          public void onFailed(RenderFailed e) {
            System.out.println(e.getJobId() + " failed: " + e.getReason() + " " + e.getMessage());
          }
        };
    ListenerConfig config =
        ListenerConfig.builder(
                "kafka:9092", RegistrySettings.of("https://registry:8081"), "transcoder")
            .build();
    RenderEventListener listener = new RenderClients().listener(config, handler);
    listener
        .start(); // own thread; Runtime.getRuntime().addShutdownHook(new Thread(listener::close))
    // ... later
    listener.close();
    // --- end
  }

  static void sealedSwitch() {
    // --- snippet: sealed
    RenderEventHandler handler =
        RenderEventHandler.of(
            event -> {
              switch (event) {
                case RenderEvent.Completed c -> System.out.println("done " + c.jobId());
                case RenderEvent.Failed f -> System.out.println("failed " + f.event().getReason());
              }
            });
    // --- end
    System.out.println(handler);
  }
}
