package io.renderrelay.worker.app;

import io.renderrelay.worker.engine.PipelineRuntime;
import io.renderrelay.worker.http.HealthCheck;
import io.renderrelay.worker.http.HealthRegistry;
import io.renderrelay.worker.http.HealthStatus;
import io.renderrelay.worker.http.WorkerHttpServer;
import io.renderrelay.worker.provider.SubmissionGate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The health checks. Readiness: the pipeline runs and the callback listener accepts. Kafka, the
 * registry, S3 and the submission gate are details and metrics, never readiness: see {@link
 * HealthRegistry}.
 */
final class HealthAssembly {

  private HealthAssembly() {}

  static void register(
      HealthRegistry health,
      Core core,
      PipelineRuntime runtime,
      WorkerHttpServer http,
      SerdeFactory serde,
      S3Client s3,
      SubmissionGate gate) {
    health.registerLiveness(
        HealthCheck.of(
            "pipeline",
            () ->
                runtime.alive()
                    ? HealthStatus.up("restarts=" + runtime.restarts())
                    : HealthStatus.down("pipeline thread stopped")));
    health.registerReadiness(
        HealthCheck.of(
            "pipeline",
            () ->
                runtime.alive()
                    ? HealthStatus.up("running")
                    : HealthStatus.down("pipeline thread stopped")));
    health.registerReadiness(
        HealthCheck.of(
            "callbacks",
            () ->
                http.callbacksListening()
                    ? HealthStatus.up("listening on " + http.address())
                    : HealthStatus.down("callback listener stopped")));
    DependencyMonitor monitor =
        core.own(
            new DependencyMonitor(
                dependencies(core, serde, s3), core.metrics(), Duration.ofSeconds(5)));
    monitor.reportTo(health);
    health.registerDependency(
        HealthCheck.of(
            "submissions",
            () ->
                gate.isOpen()
                    ? HealthStatus.up("open")
                    : HealthStatus.down("stopped: " + gate.reason().map(Enum::name).orElse("?"))));
    monitor.start();
  }

  /** Kafka, the schema registry and the S3 bucket, each checked in the background. */
  private static List<CachedCheck> dependencies(Core core, SerdeFactory serde, S3Client s3) {
    String bucket = core.config().storage().bucket();
    return List.of(
        new CachedCheck(
            "kafka",
            () -> "cluster " + core.admin().describeCluster().clusterId().get(3, TimeUnit.SECONDS),
            core.local(),
            Duration.ZERO),
        new CachedCheck(
            "schema-registry",
            () -> serde.registry().subjects().size() + " subjects",
            core.local(),
            Duration.ZERO),
        new CachedCheck(
            "s3",
            () -> {
              s3.headBucket(b -> b.bucket(bucket));
              return "bucket " + bucket;
            },
            core.local(),
            Duration.ZERO));
  }
}
