package io.renderrelay.worker.cli;

import static io.renderrelay.worker.cli.TestDlt.ACT_ONE;
import static io.renderrelay.worker.cli.TestDlt.RESTYLE;
import static io.renderrelay.worker.cli.TestDlt.record;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class DltFilterTest {

  private static final long T = Instant.parse("2026-11-25T10:00:00Z").toEpochMilli();

  private final ConsumerRecord<byte[], byte[]> undecodable =
      record(0, 1, T, "job-1", "UNDECODABLE", RESTYLE, 7);
  private final ConsumerRecord<byte[], byte[]> invalid =
      record(0, 2, T + 60_000, "job-2", "INVALID_COMMAND", ACT_ONE, 8, "tenant", "acme");
  private final ConsumerRecord<byte[], byte[]> noSource =
      record(1, 3, T + 120_000, null, "NULL_KEY", null, 0);

  private static DltFilter filter(
      Set<String> reasons,
      Set<String> topics,
      Instant since,
      Instant until,
      Set<String> ids,
      Map<String, String> headers) {
    return new DltFilter(
        reasons, topics, Optional.ofNullable(since), Optional.ofNullable(until), ids, headers);
  }

  @Test
  void emptyFilterMatchesEverything() {
    DltFilter all = DltFilter.all();
    assertThat(all.matches(undecodable)).isTrue();
    assertThat(all.matches(invalid)).isTrue();
    assertThat(all.matches(noSource)).isTrue();
    assertThat(all.describe()).isEqualTo("all records");
  }

  @Test
  void reasonsMatchAnyOfTheGivenOnes() {
    DltFilter f =
        filter(Set.of("UNDECODABLE", "NULL_KEY"), Set.of(), null, null, Set.of(), Map.of());
    assertThat(f.matches(undecodable)).isTrue();
    assertThat(f.matches(noSource)).isTrue();
    assertThat(f.matches(invalid)).isFalse();
  }

  @Test
  void jobTypeMatchesTheSourceTopicAndRejectsRecordsWithoutOne() {
    DltFilter f = filter(Set.of(), Set.of(ACT_ONE), null, null, Set.of(), Map.of());
    assertThat(f.matches(invalid)).isTrue();
    assertThat(f.matches(undecodable)).isFalse();
    assertThat(f.matches(noSource)).isFalse();
  }

  @Test
  void sinceIsInclusiveAndUntilExclusive() {
    Instant at = Instant.ofEpochMilli(T + 60_000);
    assertThat(filter(Set.of(), Set.of(), at, null, Set.of(), Map.of()).matches(invalid)).isTrue();
    assertThat(filter(Set.of(), Set.of(), at, null, Set.of(), Map.of()).matches(undecodable))
        .isFalse();
    assertThat(filter(Set.of(), Set.of(), null, at, Set.of(), Map.of()).matches(invalid)).isFalse();
    assertThat(filter(Set.of(), Set.of(), null, at, Set.of(), Map.of()).matches(undecodable))
        .isTrue();
  }

  @Test
  void jobIdsMatchTheKeyAndNeverANullKey() {
    DltFilter f = filter(Set.of(), Set.of(), null, null, Set.of("job-2", "job-9"), Map.of());
    assertThat(f.matches(invalid)).isTrue();
    assertThat(f.matches(undecodable)).isFalse();
    assertThat(f.matches(noSource)).isFalse();
  }

  @Test
  void headersMustAllMatchExactly() {
    assertThat(
            filter(Set.of(), Set.of(), null, null, Set.of(), Map.of("tenant", "acme"))
                .matches(invalid))
        .isTrue();
    assertThat(
            filter(Set.of(), Set.of(), null, null, Set.of(), Map.of("tenant", "acm"))
                .matches(invalid))
        .isFalse();
    assertThat(
            filter(Set.of(), Set.of(), null, null, Set.of(), Map.of("tenant", "acme"))
                .matches(undecodable))
        .isFalse();
    assertThat(
            filter(
                    Set.of(),
                    Set.of(),
                    null,
                    null,
                    Set.of(),
                    Map.of("tenant", "acme", "origin", "upstream-a"))
                .matches(invalid))
        .isTrue();
    assertThat(
            filter(
                    Set.of(),
                    Set.of(),
                    null,
                    null,
                    Set.of(),
                    Map.of("tenant", "acme", "origin", "other"))
                .matches(invalid))
        .isFalse();
  }

  @Test
  void criteriaCombineWithAnd() {
    DltFilter f =
        filter(Set.of("INVALID_COMMAND"), Set.of(RESTYLE), null, null, Set.of(), Map.of());
    assertThat(f.matches(invalid)).isFalse();
    assertThat(f.matches(undecodable)).isFalse();
    assertThat(f.describe()).isEqualTo("reason=[INVALID_COMMAND] sourceTopic=[" + RESTYLE + "]");
  }

  @Test
  void filterOptionsResolveJobTypesToTheConfiguredTopics() {
    FilterOptions o = new FilterOptions();
    o.jobTypes.add(JobKind.ACT_ONE);
    DltFilter f = o.toFilter(new GlobalOptions.Topics("dlt", "ev", "my.restyle", "my.act-one"));
    assertThat(f.sourceTopics()).containsExactly("my.act-one");
  }
}
