package io.renderrelay.worker.lookup;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.testing.MutableClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.MemberAssignment;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Forwarded lookups share one owners' view for a few seconds; it is read again when it may lie. */
class CachedOwnersTest {

  static final URI A = URI.create("http://10.0.0.1:8081");
  static final URI B = URI.create("http://10.0.0.2:8081");

  final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T00:00:00Z"));
  final Map<Integer, URI> group = new HashMap<>(Map.of(0, A, 1, B));
  final AtomicInteger reads = new AtomicInteger();
  final Supplier<Map<Integer, URI>> source =
      () -> {
        reads.incrementAndGet();
        return Map.copyOf(group);
      };
  final CachedOwners owners =
      new CachedOwners(source, clock, Duration.ofSeconds(5), Duration.ofSeconds(1));

  @Test
  void lookupsWithinTheTtlShareOneDescribeOfTheGroup() {
    for (int i = 0; i < 100; i++) {
      assertThat(owners.ownerOf(i % 2)).contains(i % 2 == 0 ? A : B);
      clock.advance(Duration.ofMillis(40));
    }
    assertThat(reads).hasValue(1);
  }

  @Test
  void aViewOlderThanTheTtlIsReadAgain() {
    owners.ownerOf(0);
    group.put(0, B);
    clock.advance(Duration.ofMillis(4_999));
    assertThat(owners.ownerOf(0)).contains(A);
    clock.advance(Duration.ofMillis(1));
    assertThat(owners.ownerOf(0)).contains(B);
    assertThat(reads).hasValue(2);
  }

  @Test
  void aRebalanceHereOrAFailedForwardMakesTheNextLookupReadAgain() {
    owners.ownerOf(0);
    group.put(0, B);
    owners.assignmentChanged();
    assertThat(owners.ownerOf(0)).contains(B);

    group.put(0, A);
    owners.stale(0);
    assertThat(owners.ownerOf(0)).contains(A);
    assertThat(reads).hasValue(3);
  }

  @Test
  void aPartitionWithoutAnOwnerIsAskedAgainAtMostOncePerRetryInterval() {
    group.remove(1); // moving
    assertThat(owners.ownerOf(1)).isEmpty();
    assertThat(owners.ownerOf(1)).isEmpty();
    assertThat(reads).hasValue(1);

    group.put(1, A);
    clock.advance(Duration.ofSeconds(1));
    assertThat(owners.ownerOf(1)).contains(A);
    assertThat(reads).hasValue(2);
  }

  @Test
  void aWallClockSteppedBackDoesNotKeepTheViewPastItsTtl() {
    owners.ownerOf(0);
    clock.advance(Duration.ofMinutes(-10)); // NTP steps this machine's clock back
    group.put(0, B); // a rebalance elsewhere moves partition 0

    assertThat(owners.ownerOf(0))
        .as("a view read in this clock's future is not trusted")
        .contains(B);
    clock.advance(Duration.ofSeconds(1));
    assertThat(owners.ownerOf(0)).contains(B);
    assertThat(reads).hasValue(2);
  }

  @Test
  void aLookupTheCachedViewAnswersDoesNotWaitForAnotherLookupsSlowRead() throws Exception {
    CountDownLatch reading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    CachedOwners slow =
        new CachedOwners(
            () -> {
              if (calls.incrementAndGet() > 1) { // e.g. the group coordinator is moving
                reading.countDown();
                try {
                  release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
              return Map.copyOf(group);
            },
            clock,
            Duration.ofSeconds(5),
            Duration.ofSeconds(1));
    slow.ownerOf(0);
    clock.advance(Duration.ofSeconds(1));
    try (ExecutorService lookups = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<Optional<URI>> miss = lookups.submit(() -> slow.ownerOf(7)); // reads the view again
      assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();
      Future<Optional<URI>> cached = lookups.submit(() -> slow.ownerOf(0));
      try {
        assertThat(cached.get(2, TimeUnit.SECONDS))
            .as("answered from the cached view meanwhile")
            .contains(A);
      } finally {
        release.countDown();
      }
      assertThat(miss.get(10, TimeUnit.SECONDS)).isEmpty();
    }
  }

  @Test
  void directoryEntriesOfReplicasThatLeftWithoutATombstoneAreNeverUsed() {
    List<ReplicaDirectory.Replica> directory = new java.util.ArrayList<>();
    for (int i = 0; i < 50; i++) { // crashed replicas, never withdrawn
      directory.add(
          new ReplicaDirectory.Replica(
              "gone-" + i, "rr-pipeline-gone-" + i, URI.create("http://10.9.0." + i + ":9090")));
    }
    directory.add(new ReplicaDirectory.Replica("a", "rr-pipeline-a", A));
    directory.add(new ReplicaDirectory.Replica("b", "rr-pipeline-b", B));
    List<MemberDescription> members =
        List.of(
            member("rr-pipeline-a", new TopicPartition("cmds", 0), new TopicPartition("tix", 0)),
            member("rr-pipeline-b", new TopicPartition("cmds", 1)),
            member("rr-pipeline-new", new TopicPartition("cmds", 2))); // not advertised yet

    assertThat(JobOwners.view(members, "cmds", directory)).isEqualTo(Map.of(0, A, 1, B));
  }

  static MemberDescription member(String clientId, TopicPartition... partitions) {
    return new MemberDescription(
        "m-" + clientId, clientId, "/10.0.0.9", new MemberAssignment(Set.of(partitions)));
  }
}
