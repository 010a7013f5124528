package io.renderrelay.worker.lookup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.renderrelay.avro.JobPhase;
import io.renderrelay.avro.JobState;
import io.renderrelay.avro.JobType;
import io.renderrelay.avro.RestyleCommand;
import io.renderrelay.avro.RestyleOptions;
import io.renderrelay.worker.cli.JobView;
import io.renderrelay.worker.job.JobQuery.Answer;
import io.renderrelay.worker.job.core.Ownership;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Where a job query is answered: here, at the owner, or 404 / 503 with the reason. */
class JobLookupTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final URI OWNER = URI.create("http://10.0.0.2:9090");
  final Ownership ownership = new Ownership(4);
  final Map<String, JobState> store = new HashMap<>();
  final Set<Integer> restoring = new HashSet<>();
  final Map<Integer, URI> owners = new HashMap<>();
  final List<String> forwarded = new ArrayList<>();
  RuntimeException ownersFail;
  IOException forwardFails;

  final JobLookup lookup =
      new JobLookup(
          ownership,
          (partition, jobId) ->
              ownership.owner(jobId.getBytes(StandardCharsets.UTF_8)) == partition
                  ? Optional.ofNullable(store.get(jobId))
                  : Optional.empty(),
          restoring::contains,
          partition -> {
            if (ownersFail != null) {
              throw ownersFail;
            }
            return Optional.ofNullable(owners.get(partition));
          },
          (owner, jobId) -> {
            if (forwardFails != null) {
              throw forwardFails;
            }
            forwarded.add(owner + " " + jobId);
            return new Answer(200, "{\"servedBy\":\"owner\"}".getBytes(StandardCharsets.UTF_8));
          },
          s -> JSON.createObjectNode().put("jobId", s.getJobId()).put("phase", "" + s.getPhase()),
          "me");

  int partitionOf(String jobId) {
    return ownership.owner(jobId.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theOwnerAnswersFromItsStore() throws IOException {
    store.put("job-1", job("job-1"));
    lookup.partitionsOwned(Set.of(partitionOf("job-1")));

    Answer answer = lookup.find("job-1", false);

    assertThat(answer.status()).isEqualTo(200);
    JsonNode body = JSON.readTree(answer.body());
    assertThat(body.path("state").path("phase").asText()).isEqualTo("POLLING");
    assertThat(body.path("servedBy").asText()).isEqualTo("me");
    assertThat(body.path("partition").asInt()).isEqualTo(partitionOf("job-1"));
    assertThat(forwarded).isEmpty();
  }

  @Test
  void anUnknownJobOfAnOwnedPartitionIs404() throws IOException {
    lookup.partitionsOwned(Set.of(0, 1, 2, 3));

    assertThat(lookup.find("nobody", false).status()).isEqualTo(404);
  }

  @Test
  void aPartitionStillRestoringIs503NotA404() throws IOException {
    lookup.partitionsOwned(Set.of(0, 1, 2, 3));
    restoring.add(partitionOf("job-1"));

    Answer answer = lookup.find("job-1", false);

    assertThat(answer.status()).isEqualTo(503);
    assertThat(new String(answer.body(), StandardCharsets.UTF_8)).contains("restoring");
  }

  @Test
  void anotherReplicaForwardsToTheOwnerAndPassesItsAnswerOn() throws IOException {
    owners.put(partitionOf("job-1"), OWNER);

    Answer answer = lookup.find("job-1", false);

    assertThat(answer.status()).isEqualTo(200);
    assertThat(forwarded).containsExactly(OWNER + " job-1");
  }

  @Test
  void aForwardedQueryForAPartitionNotOwnedHereIsNeverForwardedAgain() throws IOException {
    owners.put(partitionOf("job-1"), OWNER);

    assertThat(lookup.find("job-1", true).status()).isEqualTo(503);
    assertThat(forwarded).isEmpty();
  }

  @Test
  void noOwnerAnUnreachableOwnerOrAFailedLookupAre503() throws IOException {
    assertThat(lookup.find("job-1", false).status()).as("no owner (rebalancing)").isEqualTo(503);

    owners.put(partitionOf("job-1"), OWNER);
    forwardFails = new ConnectException("refused");
    Answer unreachable = lookup.find("job-1", false);
    assertThat(unreachable.status()).isEqualTo(503);
    assertThat(new String(unreachable.body(), StandardCharsets.UTF_8)).contains("unreachable");

    ownersFail = new IllegalStateException("group not described");
    assertThat(lookup.find("job-1", false).status()).isEqualTo(503);
  }

  @Test
  void aCachedOwnerThatCannotAnswerIsLookedUpAgainOnTheNextQuery() throws IOException {
    java.util.concurrent.atomic.AtomicInteger reads =
        new java.util.concurrent.atomic.AtomicInteger();
    CachedOwners cached =
        new CachedOwners(
            () -> {
              reads.incrementAndGet();
              return Map.copyOf(owners);
            },
            java.time.Clock.systemUTC(),
            java.time.Duration.ofHours(1),
            java.time.Duration.ofHours(1));
    JobLookup viaCache =
        new JobLookup(
            ownership,
            (partition, jobId) -> Optional.empty(),
            restoring::contains,
            cached,
            (owner, jobId) -> {
              if (forwardFails != null) {
                throw forwardFails;
              }
              forwarded.add(owner + " " + jobId);
              return new Answer(200, "{}".getBytes(StandardCharsets.UTF_8));
            },
            s -> JSON.createObjectNode(),
            "me");
    owners.put(partitionOf("job-1"), OWNER);
    assertThat(viaCache.find("job-1", false).status()).isEqualTo(200);
    assertThat(viaCache.find("job-1", false).status()).isEqualTo(200);
    assertThat(reads).as("one view for both").hasValue(1);

    forwardFails = new ConnectException("refused"); // the owner left
    assertThat(viaCache.find("job-1", false).status()).isEqualTo(503);
    forwardFails = null;
    assertThat(viaCache.find("job-1", false).status()).isEqualTo(200);
    assertThat(reads).as("read again after the failed forward").hasValue(2);

    viaCache.partitionsOwned(Set.of(3)); // a rebalance here
    assertThat(viaCache.find("job-1", false).status()).isEqualTo(200);
    assertThat(reads).as("read again after this replica's rebalance").hasValue(3);
  }

  @Test
  void theDirectoryEntryIsChosenByTheMembersClientIdAndOnlyWhenUnambiguous() {
    var a = new ReplicaDirectory.Replica("a", "rr-pipeline-a", URI.create("http://a:9090"));
    var b = new ReplicaDirectory.Replica("b", "rr-pipeline-b", URI.create("http://b:9090"));
    var b2 = new ReplicaDirectory.Replica("b2", "rr-pipeline-b", URI.create("http://b2:9090"));

    assertThat(JobOwners.urlOf("rr-pipeline-b", List.of(a, b))).contains(b.url());
    assertThat(JobOwners.urlOf("rr-pipeline-c", List.of(a, b))).isEmpty();
    assertThat(JobOwners.urlOf("rr-pipeline-b", List.of(a, b, b2))).isEmpty();
  }

  @Test
  void theAnswerNeverCarriesTheSignatureOfASignedInputUrl() throws IOException {
    String signed =
        "https://bucket.s3.amazonaws.com/in.mp4?X-Amz-Credential=AKIAEXAMPLE%2F20260101"
            + "&X-Amz-Signature=0123456789abcdef";
    JobState state =
        JobState.newBuilder(job("job-signed"))
            .setRestyle(
                RestyleCommand.newBuilder()
                    .setJobId("job-signed")
                    .setSourceVideoUrl(signed)
                    .setPrompt("pixelated style")
                    .setOptions(RestyleOptions.newBuilder().build())
                    .setMetadata(Map.of("preview", "https://user:pass@cdn.example.com/p.png?t=1"))
                    .setRequestedAt(Instant.parse("2026-01-01T00:00:00Z"))
                    .build())
            .build();
    store.put("job-signed", state);
    JobLookup real =
        new JobLookup(
            ownership,
            (partition, jobId) -> Optional.ofNullable(store.get(jobId)),
            restoring::contains,
            partition -> Optional.empty(),
            (owner, jobId) -> new Answer(500, new byte[0]),
            new JobView("renders")::json,
            "me");
    real.partitionsOwned(Set.of(0, 1, 2, 3));

    Answer answer = real.find("job-signed", false);

    String body = new String(answer.body(), StandardCharsets.UTF_8);
    assertThat(answer.status()).isEqualTo(200);
    assertThat(body)
        .doesNotContain("X-Amz-Signature")
        .doesNotContain("0123456789abcdef")
        .doesNotContain("AKIAEXAMPLE")
        .doesNotContain("user:pass")
        .contains("https://bucket.s3.amazonaws.com/in.mp4")
        .contains("cdn.example.com/p.png");
  }

  static JobState job(String id) {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    return JobState.newBuilder()
        .setJobId(id)
        .setJobType(JobType.RESTYLE)
        .setPhase(JobPhase.POLLING)
        .setCreatedAt(t)
        .setUpdatedAt(t)
        .setDeadline(t.plusSeconds(3600))
        .build();
  }
}
