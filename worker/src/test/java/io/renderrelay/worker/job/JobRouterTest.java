package io.renderrelay.worker.job;

import static io.renderrelay.worker.job.JobHarness.failed;
import static io.renderrelay.worker.job.JobHarness.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.avro.FailureReason;
import io.renderrelay.avro.JobPhase;
import io.renderrelay.avro.RenderCompleted;
import io.renderrelay.avro.RenderFailed;
import io.renderrelay.client.DltHeaders;
import io.renderrelay.worker.config.WorkerConfig.AmbiguousPolicy;
import io.renderrelay.worker.dlt.DeadLetterReason;
import io.renderrelay.worker.engine.Lease;
import io.renderrelay.worker.provider.ProviderException;
import io.renderrelay.worker.provider.TaskStatus;
import io.renderrelay.worker.storage.CopyException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JobRouterTest {

  private final JobHarness h = new JobHarness();

  @Test
  void restyleGoesFromCommandToCompletedWithOneSubmission() throws Exception {
    h.run(h.commandRecord(JobHarness.RESTYLE, "job-1", JobHarness.restyle("job-1")));
    assertThat(h.job("job-1").getPhase()).isEqualTo(JobPhase.POLLING);
    assertThat(h.job("job-1").getTaskId()).isEqualTo("task-1");
    assertThat(h.on("render.poll.10s")).hasSize(1);

    h.provider.pollAnswers.add(snapshot(TaskStatus.RUNNING, "1"));
    h.clock.advance(Duration.ofSeconds(10));
    h.run(h.lastTicket());
    assertThat(h.job("job-1").getPollSeq()).isEqualTo(2);

    h.provider.pollAnswers.add(snapshot(TaskStatus.SUCCEEDED, "3"));
    h.run(h.lastTicket());
    assertThat(h.job("job-1").getPhase()).isEqualTo(JobPhase.COMPLETED);
    assertThat(h.copier.keys) // copied at once: in no fixed order
        .containsExactlyInAnyOrder(
            "renders/restyle/job-1/video.mp4", "renders/restyle/job-1/poster.png");
    assertThat(h.events).hasSize(1);
    RenderCompleted done = (RenderCompleted) h.events.get(0);
    assertThat(done.getVideo().getUri()).isEqualTo("s3://renders/renders/restyle/job-1/video.mp4");
    assertThat(done.getMetadata()).containsEntry("caller", "t");
    assertThat(done.getAttempts()).isEqualTo(1);
    assertThat(h.provider.submits).containsEntry("job-1", 1);
    assertThat(h.on("render.events")).hasSize(1);
  }

  @Test
  void aSubmitThatFailsUnexpectedlyAfterItsIntentEndsAmbiguousWithOneEvent() throws Exception {
    var command = h.commandRecord(JobHarness.RESTYLE, "job-gu", JobHarness.restyle("job-gu"));
    IllegalStateException boom = new IllegalStateException("connection reset mid-request");
    h.provider.submitAnswers.add(boom);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> h.run(command)).isSameAs(boom);
    assertThat(h.job("job-gu").getPhase()).isEqualTo(JobPhase.SUBMITTING);
    // the engine gives the paid half up (never re-runs it): the job must still end, once
    h.apply(
        h.router.giveUp(
            new io.renderrelay.worker.engine.Work(command, "job-gu", Lease.always(), 0, true, null),
            boom));
    assertThat(h.job("job-gu").getPhase()).isEqualTo(JobPhase.AMBIGUOUS);
    assertThat(h.events).hasSize(1);
    assertThat(((RenderFailed) h.events.get(0)).getReason())
        .isEqualTo(FailureReason.AMBIGUOUS_SUBMIT);
    assertThat(h.on("render.events")).hasSize(1);
    assertThat(h.on("render.dlt")).hasSize(1);
    assertThat(h.deadLetters).containsExactly(DeadLetterReason.AMBIGUOUS_SUBMIT);
  }

  @Test
  void aPollStepGivenUpEndsItsJobWithOneTerminalEvent() throws Exception {
    h.run(h.commandRecord(JobHarness.RESTYLE, "job-gp", JobHarness.restyle("job-gp")));
    assertThat(h.job("job-gp").getPhase()).isEqualTo(JobPhase.POLLING);
    var ticket = h.lastTicket();
    IllegalStateException boom = new IllegalStateException("poll step broke");
    h.apply(
        h.router.giveUp(
            new io.renderrelay.worker.engine.Work(ticket, "job-gp", Lease.always(), 3, false, null),
            boom));
    assertThat(h.job("job-gp").getPhase()).isEqualTo(JobPhase.FAILED);
    assertThat(h.events).singleElement().isInstanceOf(RenderFailed.class);
    assertThat(((RenderFailed) h.events.get(0)).getMessage()).contains("was created (paid)");
    assertThat(h.on("render.dlt")).hasSize(1);
    assertThat(h.deadLetters).containsExactly(DeadLetterReason.PROCESSING_ERROR);
    assertThat(h.provider.submits).containsEntry("job-gp", 1);
    // a second give-up of the same (now ended) job adds no second terminal event
    h.apply(
        h.router.giveUp(
            new io.renderrelay.worker.engine.Work(ticket, "job-gp", Lease.always(), 3, false, null),
            boom));
    assertThat(h.events).hasSize(1);
  }

  @Test
  void aDuplicateCommandCreatesNoSecondTask() throws Exception {
    h.run(h.commandRecord(JobHarness.ACT_ONE, "job-2", JobHarness.actOne("job-2")));
    h.run(h.commandRecord(JobHarness.ACT_ONE, "job-2", JobHarness.actOne("job-2")));
    assertThat(h.provider.submits).containsEntry("job-2", 1);
    assertThat(h.duplicates.get()).isEqualTo(1);
  }

  @Test
  void anInvalidCommandIsDeadLetteredAndFailedWithoutPaying() throws Exception {
    h.validationProblems = java.util.List.of("sourceVideoUrl: must be https");
    h.run(h.commandRecord(JobHarness.RESTYLE, "job-3", JobHarness.restyle("job-3")));
    assertThat(h.provider.submits).isEmpty();
    assertThat(h.on("render.dlt")).hasSize(1);
    var dlt = h.on("render.dlt").get(0);
    assertThat(
            new String(dlt.headers().lastHeader(DltHeaders.REASON).value(), StandardCharsets.UTF_8))
        .isEqualTo("INVALID_COMMAND");
    assertThat(((RenderFailed) h.events.get(0)).getReason())
        .isEqualTo(FailureReason.INVALID_COMMAND);
    assertThat(h.job("job-3").getPhase()).isEqualTo(JobPhase.FAILED);
  }

  @Test
  void undecodableBytesGoToTheDeadLetterTopicWithTheOriginalValue() throws Exception {
    byte[] garbage = {0, 0, 0, 0, 42, 1, 2};
    h.run(h.rawRecord(JobHarness.RESTYLE, "job-4", garbage));
    assertThat(h.deadLetters).containsExactly(DeadLetterReason.UNDECODABLE);
    assertThat(h.on("render.dlt").get(0).value()).isEqualTo(garbage);
    assertThat(((RenderFailed) h.events.get(0)).getJobId()).isEqualTo("job-4");
  }

  @Test
  void anIntentWithoutTaskIdAfterARestartBecomesAmbiguousNeverAQuietResubmit() throws Exception {
    h.provider.submitAnswers.add(new ProviderException.Ambiguous("read timed out", null));
    h.run(h.commandRecord(JobHarness.RESTYLE, "job-5", JobHarness.restyle("job-5")));
    assertThat(h.job("job-5").getPhase()).isEqualTo(JobPhase.AMBIGUOUS);
    assertThat(((RenderFailed) h.events.get(0)).getReason())
        .isEqualTo(FailureReason.AMBIGUOUS_SUBMIT);
    assertThat(h.deadLetters).containsExactly(DeadLetterReason.AMBIGUOUS_SUBMIT);

    // crash after the intent committed: the command comes again and finds SUBMITTING without a task
    JobHarness h2 = new JobHarness();
    var cmd = h2.commandRecord(JobHarness.RESTYLE, "job-6", JobHarness.restyle("job-6"));
    var first = h2.router.route(cmd, Lease.always()).run(); // commits the intent only
    first.ledger().forEach(w -> h2.store.put(0, w.state().orElseThrow()));
    assertThat(h2.job("job-6").getPhase()).isEqualTo(JobPhase.SUBMITTING);
    h2.run(cmd);
    // first a bounded wait for the former owner's word (a crashed one never says anything)
    assertThat(h2.job("job-6").getPhase()).isEqualTo(JobPhase.SUBMITTING);
    h2.clock.advance(h2.unresolvedWait);
    h2.run(h2.lastTicket());
    assertThat(h2.provider.submits).isEmpty();
    assertThat(h2.job("job-6").getPhase()).isEqualTo(JobPhase.AMBIGUOUS);
    assertThat(h2.events).hasSize(1);
  }

  @Test
  void aRefundedFailureIsResubmittedOnceThenFails() throws Exception {
    h.run(h.commandRecord(JobHarness.RESTYLE, "job-7", JobHarness.restyle("job-7")));
    h.provider.pollAnswers.add(failed(false, true, "provider error"));
    h.run(h.lastTicket());
    assertThat(h.provider.submits).containsEntry("job-7", 2);
    assertThat(h.job("job-7").getPhase()).isEqualTo(JobPhase.POLLING);
    h.provider.pollAnswers.add(failed(false, true, "provider error"));
    h.run(h.lastTicket());
    assertThat(h.provider.submits).containsEntry("job-7", 2);
    RenderFailed f = (RenderFailed) h.events.get(0);
    assertThat(f.getReason()).isEqualTo(FailureReason.PROVIDER_FAILED);
    assertThat(f.getAttempts()).isEqualTo(2);
  }

  @Test
  void moderationIsTerminalAndNeverResubmitted() throws Exception {
    h.run(h.commandRecord(JobHarness.RESTYLE, "job-8", JobHarness.restyle("job-8")));
    h.provider.pollAnswers.add(failed(true, false, "SAFETY.INPUT.TEXT"));
    h.run(h.lastTicket());
    assertThat(h.provider.submits).containsEntry("job-8", 1);
    assertThat(((RenderFailed) h.events.get(0)).getReason()).isEqualTo(FailureReason.MODERATION);
  }

  @Test
  void aJobPastItsDeadlineFails() throws Exception {
    h.run(h.commandRecord(JobHarness.RESTYLE, "job-9", JobHarness.restyle("job-9")));
    h.clock.advance(Duration.ofHours(3));
    h.provider.pollAnswers.add(snapshot(TaskStatus.RUNNING, "1"));
    h.run(h.lastTicket());
    assertThat(((RenderFailed) h.events.get(0)).getReason())
        .isEqualTo(FailureReason.DEADLINE_EXCEEDED);
    assertThat(h.provider.polls).isEqualTo(1); // the status first: it might have succeeded
  }

  @Test
  void taskNotFoundIsToleratedForTheGracePeriodThenTheTaskIsLost() throws Exception {
    h.run(h.commandRecord(JobHarness.RESTYLE, "job-10", JobHarness.restyle("job-10")));
    h.provider.pollAnswers.add(new ProviderException.TaskNotFound("task_not_exist"));
    h.run(h.lastTicket());
    assertThat(h.job("job-10").getPhase()).isEqualTo(JobPhase.POLLING);
    // the grace (60 s) counts the scheduled delays between the polls that found nothing: 10 s,
    // 10 s, then 30 s tickets (0, 10, 20, 50, 80 s)
    int notFoundPolls = 1;
    while (h.events.isEmpty() && notFoundPolls < 10) {
      h.clock.advance(Duration.ofSeconds(30));
      h.provider.pollAnswers.add(new ProviderException.TaskNotFound("task_not_exist"));
      h.run(h.lastTicket());
      notFoundPolls++;
    }
    assertThat(((RenderFailed) h.events.get(0)).getReason()).isEqualTo(FailureReason.TASK_LOST);
    assertThat(notFoundPolls).isEqualTo(5);
  }

  @Test
  void aStaleTicketIsDropped() throws Exception {
    h.run(h.commandRecord(JobHarness.RESTYLE, "job-11", JobHarness.restyle("job-11")));
    var ticket = h.lastTicket();
    h.provider.pollAnswers.add(snapshot(TaskStatus.RUNNING, "1"));
    h.run(ticket);
    int polls = h.provider.polls;
    h.run(ticket); // the same ticket again (redelivery): seq no longer matches
    assertThat(h.provider.polls).isEqualTo(polls);
  }

  @Test
  void aTransientSubmitRefusalWithdrawsTheIntentAndTriesAgain() throws Exception {
    h.provider.submitAnswers.add(
        new ProviderException.Retryable("429", Optional.of(Duration.ofSeconds(3)), null));
    h.run(h.commandRecord(JobHarness.RESTYLE, "job-12", JobHarness.restyle("job-12")));
    assertThat(h.job("job-12").getPhase()).isEqualTo(JobPhase.POLLING);
    assertThat(h.job("job-12").getSubmitAttempts()).isEqualTo(1);
    assertThat(h.provider.submits).containsEntry("job-12", 1);
  }

  @Test
  void anExpiredOutputFailsTheJob() throws Exception {
    h.run(h.commandRecord(JobHarness.RESTYLE, "job-13", JobHarness.restyle("job-13")));
    h.provider.pollAnswers.add(snapshot(TaskStatus.SUCCEEDED, "3"));
    h.copier.next = new CopyException.Expired("404 from the provider CDN");
    h.run(h.lastTicket());
    assertThat(((RenderFailed) h.events.get(0)).getReason())
        .isEqualTo(FailureReason.OUTPUT_EXPIRED);
  }

  @Test
  void aCallbackPollThatIsNotFinishedStartsNoSecondChain() throws Exception {
    h.run(h.commandRecord(JobHarness.RESTYLE, "job-14", JobHarness.restyle("job-14")));
    int tickets = h.on("render.poll.10s").size();
    var cb =
        new org.apache.kafka.clients.consumer.ConsumerRecord<>(
            "render.poll.now",
            0,
            99L,
            "job-14".getBytes(StandardCharsets.UTF_8),
            h.router == null ? null : callbackTicketBytes("job-14"));
    h.provider.pollAnswers.add(snapshot(TaskStatus.RUNNING, "1"));
    h.run(cb);
    assertThat(h.on("render.poll.10s")).hasSize(tickets);
    assertThat(h.provider.polls).isEqualTo(1);
  }

  @Test
  void theResubmitPolicyResubmitsAnUnresolvedIntentWhenAsked() throws Exception {
    JobHarness h3 = new JobHarness();
    h3.policy = AmbiguousPolicy.RESUBMIT;
    h3.rebuild();
    var cmd = h3.commandRecord(JobHarness.RESTYLE, "job-15", JobHarness.restyle("job-15"));
    h3.router
        .route(cmd, Lease.always())
        .run()
        .ledger()
        .forEach(w -> h3.store.put(0, w.state().orElseThrow()));
    h3.run(cmd);
    assertThat(h3.provider.submits).isEmpty();
    h3.clock.advance(h3.unresolvedWait);
    h3.run(h3.lastTicket());
    assertThat(h3.job("job-15").getPhase()).isEqualTo(JobPhase.POLLING);
  }

  private byte[] callbackTicketBytes(String jobId) {
    return h.lastTicketRecordsFactory().callbackTicket(jobId, h.clock.instant()).value();
  }
}
