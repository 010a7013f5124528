package io.renderrelay.client;

import io.renderrelay.avro.ActOneCommand;
import io.renderrelay.avro.RestyleCommand;
import io.renderrelay.avro.RestyleOptions;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;

/**
 * Turns a client request into the Avro command it stands for: a generated job id where the request
 * has none, {@code requestedAt} from the clock (whole milliseconds, as the schema keeps them).
 */
final class RequestCommands {
  private final Clock clock;
  private final Supplier<String> jobIds;

  RequestCommands(Clock clock, Supplier<String> jobIds) {
    this.clock = clock;
    this.jobIds = jobIds;
  }

  RestyleCommand restyle(RestyleRequest r) {
    return RestyleCommand.newBuilder()
        .setJobId(r.jobId().orElseGet(jobIds))
        .setSourceVideoUrl(r.sourceVideoUrl())
        .setPrompt(r.prompt())
        .setModel(r.model())
        .setOptions(new RestyleOptions(r.structureTransformation(), r.flip()))
        .setOutputPrefix(r.outputPrefix().orElse(null))
        .setMetadata(r.metadata())
        .setRequestedAt(now())
        .setDeadline(r.deadline().orElse(null))
        .build();
  }

  ActOneCommand actOne(ActOneRequest r) {
    return ActOneCommand.newBuilder()
        .setJobId(r.jobId().orElseGet(jobIds))
        .setPerformanceVideoUrl(r.performanceVideoUrl())
        .setCharacterImageUrl(r.characterImageUrl())
        .setOutputPrefix(r.outputPrefix().orElse(null))
        .setMetadata(r.metadata())
        .setRequestedAt(now())
        .setDeadline(r.deadline().orElse(null))
        .build();
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
