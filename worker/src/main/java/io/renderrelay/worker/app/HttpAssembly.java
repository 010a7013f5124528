package io.renderrelay.worker.app;

import io.renderrelay.worker.cli.JobView;
import io.renderrelay.worker.config.WorkerConfig;
import io.renderrelay.worker.config.WorkerConfig.Topics;
import io.renderrelay.worker.http.HealthRegistry;
import io.renderrelay.worker.http.WorkerHttpServer;
import io.renderrelay.worker.job.callback.CallbackIngress;
import io.renderrelay.worker.job.core.Ownership;
import io.renderrelay.worker.lookup.CachedOwners;
import io.renderrelay.worker.lookup.HttpForwarder;
import io.renderrelay.worker.lookup.JobLookup;
import io.renderrelay.worker.lookup.JobOwners;
import io.renderrelay.worker.lookup.ReplicaDirectory;
import java.net.URI;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side: the job lookup (GET /jobs/{jobId} on any replica, issue 13) with the replica
 * directory it forwards by, built before the pipeline (the lookup follows its rebalances); then the
 * listeners (callbacks, management) and this replica's entry in the directory.
 */
record HttpAssembly(Core core, ReplicaDirectory directory, JobLookup lookup) {

  private static final Logger log = LoggerFactory.getLogger(HttpAssembly.class);

  static HttpAssembly build(Core core, KafkaAssembly kafka, LedgerAssembly ledger) {
    WorkerConfig config = core.config();
    Topics topics = core.topics();
    ReplicaDirectory directory =
        new ReplicaDirectory(
            topics.replicas(),
            core.own(core.kafka().plainProducer("replicas")),
            () -> core.kafka().assignedConsumer("replicas"),
            Duration.ofSeconds(5));
    HttpForwarder forwarder = core.own(new HttpForwarder(Duration.ofSeconds(5)));
    JobLookup lookup =
        new JobLookup(
            new Ownership(kafka.partitions()),
            ledger.store()::get,
            ledger.restoreProgress()::restoring,
            // one group describe and directory read serve the forwarded lookups of a few seconds
            new CachedOwners(
                new JobOwners(
                        core.admin(),
                        config.kafka().groupId(),
                        topics.restyleCommands(),
                        directory,
                        Duration.ofSeconds(5))
                    ::view,
                core.local(),
                Duration.ofSeconds(5),
                Duration.ofSeconds(1)),
            forwarder,
            new JobView(config.storage().rootPrefix())::json,
            core.instanceId());
    return new HttpAssembly(core, directory, lookup);
  }

  /** The listeners: callbacks become CALLBACK tickets; health, metrics and job queries. */
  WorkerHttpServer server(KafkaAssembly kafka, JobAssembly jobs, HealthRegistry health) {
    CallbackIngress ingress =
        new CallbackIngress(
            jobs.tokens(),
            jobs.records(),
            kafka.callbackProducer(),
            kafka.clock(),
            Duration.ofSeconds(5));
    return core.own(
        new WorkerHttpServer(
            core.config().http(), health, core.metrics(), ingress, lookup, core.local()));
  }

  /**
   * Writes this replica's management URL to the replica directory, so other replicas forward job
   * queries for its partitions here; withdrawn at a clean stop.
   */
  void advertise(WorkerHttpServer http) {
    WorkerConfig config = core.config();
    String instanceId = core.instanceId();
    URI url =
        config
            .http()
            .advertisedUrl()
            .orElseGet(
                () -> AdvertisedUrl.derive(config.http().bindAddress(), http.managementAddress()));
    try {
      directory.advertise(
          new ReplicaDirectory.Replica(instanceId, core.kafka().pipelineClientId(), url));
      core.own(() -> directory.withdraw(instanceId));
    } catch (RuntimeException e) {
      log.warn(
          "replica directory not written ({}): GET /jobs/{{jobId}} on other replicas answers 503"
              + " for this replica's jobs until a restart advertises it",
          e.toString());
    }
  }
}
