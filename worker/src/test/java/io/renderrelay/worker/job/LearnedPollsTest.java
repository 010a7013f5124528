package io.renderrelay.worker.job;

import static io.renderrelay.worker.job.JobHarness.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.avro.JobPhase;
import io.renderrelay.avro.JobType;
import io.renderrelay.worker.config.RenderTimePrior;
import io.renderrelay.worker.engine.DelayHeaders;
import io.renderrelay.worker.job.core.JobRecords;
import io.renderrelay.worker.job.schedule.RenderTimes;
import io.renderrelay.worker.provider.TaskStatus;
import io.renderrelay.worker.storage.PriorCopies;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: scheduled polls follow the render times of the job type (here a prior of median 150 s,
 * p95 480 s; tiers 10 s and 30 s). A wait longer than a tier is spent in legs that cost no provider
 * request; a callback poll that finds the render done leaves the remaining legs stale.
 */
class LearnedPollsTest {

  private final JobHarness h = new JobHarness();
  private final RenderTimes times =
      new RenderTimes(
          20,
          Map.of(
              JobType.RESTYLE,
              new RenderTimePrior(Duration.ofSeconds(150), Duration.ofSeconds(480))));

  @BeforeEach
  void learnedPlan() {
    h.renderTimes = times;
    h.rebuild();
  }

  @Test
  void withCallbacksTheFirstScheduledPollWaitsForThe95thPercentileInFreeLegs() throws Exception {
    Instant submitted = h.clock.instant();
    h.run(h.commandRecord(JobHarness.RESTYLE, "j-1", JobHarness.restyle("j-1")));
    Duration waited = Duration.ZERO;
    int legs = 0;
    while (h.provider.polls == 0 && legs < 100) {
      ConsumerRecord<byte[], byte[]> leg = h.lastTicket();
      waited = waited.plus(h.lastTicketRecordsFactory().delayOf(leg.topic()));
      h.clock.advance(h.lastTicketRecordsFactory().delayOf(leg.topic()));
      h.provider.pollAnswers.add(snapshot(TaskStatus.RUNNING, "1"));
      h.run(leg);
      legs++;
    }
    // 480 s = 16 legs of 30 s, one provider request at their end
    assertThat(waited).isEqualTo(Duration.ofSeconds(480));
    assertThat(legs).isEqualTo(16);
    assertThat(h.provider.polls).isEqualTo(1);
    assertThat(h.job("j-1").getPollSeq()).isEqualTo(2);
    assertThat(Duration.between(submitted, h.clock.instant())).isEqualTo(waited);
  }

  @Test
  void aCallbackThatFindsTheRenderDoneMakesTheScheduledLegsStale() throws Exception {
    h.run(h.commandRecord(JobHarness.RESTYLE, "j-2", JobHarness.restyle("j-2")));
    ConsumerRecord<byte[], byte[]> scheduled = h.lastTicket();
    h.clock.advance(Duration.ofSeconds(140));
    h.provider.pollAnswers.add(snapshot(TaskStatus.SUCCEEDED, "3"));
    h.run(asConsumed(h.lastTicketRecordsFactory().callbackTicket("j-2", h.clock.instant())));
    assertThat(h.job("j-2").getPhase()).isEqualTo(JobPhase.COMPLETED);
    h.run(scheduled);
    assertThat(h.provider.polls).isEqualTo(1);
    assertThat(h.provider.submits).containsEntry("j-2", 1);
  }

  @Test
  void noLegPassesTheDeadline() throws Exception {
    var cmd = JobHarness.restyle("j-3");
    cmd.setDeadline(h.clock.instant().plus(Duration.ofSeconds(100)));
    h.run(h.commandRecord(JobHarness.RESTYLE, "j-3", cmd));
    Duration waited = Duration.ZERO;
    while (h.provider.polls == 0) {
      ConsumerRecord<byte[], byte[]> leg = h.lastTicket();
      Duration d = h.lastTicketRecordsFactory().delayOf(leg.topic());
      waited = waited.plus(d);
      h.clock.advance(d);
      h.provider.pollAnswers.add(snapshot(TaskStatus.RUNNING, "1"));
      h.run(leg);
    }
    assertThat(waited).isEqualTo(Duration.ofSeconds(100));
  }

  @Test
  void whenScheduledPollsFindTheRendersDoneThePlanFollowsTheMedian() throws Exception {
    for (int i = 0; i < 10; i++) {
      times.observe(JobType.RESTYLE, Duration.ofSeconds(150), false);
    }
    h.run(h.commandRecord(JobHarness.RESTYLE, "j-4", JobHarness.restyle("j-4")));
    long leftMs = DelayHeaders.longHeader(h.lastTicket().headers(), JobRecords.WAIT_LEFT).orElse(0);
    assertThat(Duration.ofSeconds(30).plusMillis(leftMs)).isEqualTo(Duration.ofSeconds(150));
  }

  @Test
  void theFirstCopyAfterARenderIsSeenDoneSkipsTheHeadARetriedOneDoesNot() throws Exception {
    h.renderTimes = RenderTimes.none();
    h.rebuild();
    h.run(h.commandRecord(JobHarness.RESTYLE, "j-5", JobHarness.restyle("j-5")));
    h.clock.advance(Duration.ofSeconds(10));
    h.provider.pollAnswers.add(snapshot(TaskStatus.SUCCEEDED, "3"));
    h.copier.next = new io.renderrelay.worker.storage.CopyException.Retryable("S3 busy", null);
    h.run(h.lastTicket());
    // the outputs copy at once: the one that did not fail may have run too, also without a HEAD
    assertThat(h.copier.priors).isNotEmpty().containsOnly(PriorCopies.NONE);
    int first = h.copier.priors.size();
    h.clock.advance(Duration.ofSeconds(10));
    h.provider.pollAnswers.add(snapshot(TaskStatus.SUCCEEDED, "3"));
    h.run(h.lastTicket());
    assertThat(h.job("j-5").getPhase()).isEqualTo(JobPhase.COMPLETED);
    assertThat(h.copier.priors.subList(first, h.copier.priors.size()))
        .hasSize(2)
        .containsOnly(PriorCopies.POSSIBLE);
  }

  private ConsumerRecord<byte[], byte[]> asConsumed(
      org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]> p) {
    ConsumerRecord<byte[], byte[]> c =
        new ConsumerRecord<>(p.topic(), 0, 1_000, p.key(), p.value());
    p.headers().forEach(hd -> c.headers().add(hd));
    return c;
  }
}
