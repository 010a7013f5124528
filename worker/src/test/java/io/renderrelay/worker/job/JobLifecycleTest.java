package io.renderrelay.worker.job;

import static io.renderrelay.worker.job.JobHarness.failed;
import static io.renderrelay.worker.job.JobHarness.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.avro.FailureReason;
import io.renderrelay.avro.JobPhase;
import io.renderrelay.avro.JobState;
import io.renderrelay.avro.RenderCompleted;
import io.renderrelay.avro.RenderFailed;
import io.renderrelay.worker.engine.DelayHeaders;
import io.renderrelay.worker.engine.StepResult;
import io.renderrelay.worker.job.submit.SubmitWord;
import io.renderrelay.worker.provider.ProviderException;
import io.renderrelay.worker.provider.ProviderException.FatalReason;
import io.renderrelay.worker.provider.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What deploys, revokes, stalls and late answers do to one job (issue 12, job side). */
class JobLifecycleTest {

  private final JobHarness h = new JobHarness();

  @Test
  void aStepWhoseLeaseIsGoneCommitsNoIntentAndSendsNoPost() throws Exception {
    List<StepResult> results =
        h.run(h.commandRecord(JobHarness.RESTYLE, "j-1", JobHarness.restyle("j-1")), () -> false);
    assertThat(h.provider.submits).isEmpty();
    assertThat(results).allSatisfy(r -> assertThat(r.ledger()).isEmpty());
    assertThat(results).allSatisfy(r -> assertThat(r.sourceDone()).isFalse());
    assertThat(h.store.get(0, "j-1")).isEmpty();
  }

  @Test
  void aProbeDueLetsOneParkedJobCommitAnIntentNotEveryOne() throws Exception {
    h.gate.close(FatalReason.NO_CREDIT);
    h.clock.advance(Duration.ofMinutes(5));
    var first = h.commandRecord(JobHarness.RESTYLE, "j-2", JobHarness.restyle("j-2"));
    var second = h.commandRecord(JobHarness.RESTYLE, "j-3", JobHarness.restyle("j-3"));
    StepResult a = h.router.route(first, () -> true).run();
    StepResult b = h.router.route(second, () -> true).run();
    long intents =
        java.util.stream.Stream.of(a, b)
            .flatMap(r -> r.ledger().stream())
            .filter(w -> w.state().orElseThrow().getPhase() == JobPhase.SUBMITTING)
            .count();
    assertThat(intents).isEqualTo(1);
  }

  @Test
  void aRenderThatSucceededIsCopiedEvenWhenPolledAfterTheDeadline() throws Exception {
    h.run(h.commandRecord(JobHarness.RESTYLE, "j-4", JobHarness.restyle("j-4")));
    h.clock.advance(Duration.ofHours(3));
    h.provider.pollAnswers.add(snapshot(TaskStatus.SUCCEEDED, "3"));
    h.run(h.lastTicket());
    assertThat(h.events).singleElement().isInstanceOf(RenderCompleted.class);
    assertThat(h.job("j-4").getPhase()).isEqualTo(JobPhase.COMPLETED);
  }

  @Test
  void aFailureTheProviderDidNotRefundIsNeverResubmitted() throws Exception {
    h.run(h.commandRecord(JobHarness.RESTYLE, "j-5", JobHarness.restyle("j-5")));
    h.provider.pollAnswers.add(failed(false, false, "internal error"));
    h.run(h.lastTicket());
    assertThat(h.provider.submits).containsEntry("j-5", 1);
    RenderFailed f = (RenderFailed) h.events.get(0);
    assertThat(f.getReason()).isEqualTo(FailureReason.PROVIDER_FAILED);
  }

  @Test
  void aSuccessfulPollForgetsAnEarlierNotFound() throws Exception {
    h.run(h.commandRecord(JobHarness.RESTYLE, "j-6", JobHarness.restyle("j-6")));
    h.provider.pollAnswers.add(new ProviderException.TaskNotFound("task_not_exist"));
    h.run(h.lastTicket());
    assertThat(h.job("j-6").getNotFoundSince()).isNotNull();
    h.clock.advance(Duration.ofSeconds(10));
    h.provider.pollAnswers.add(snapshot(TaskStatus.RUNNING, "1"));
    h.run(h.lastTicket());
    assertThat(h.job("j-6").getNotFoundSince()).isNull();
    h.clock.advance(Duration.ofMinutes(10));
    h.provider.pollAnswers.add(new ProviderException.TaskNotFound("task_not_exist"));
    h.run(h.lastTicket());
    assertThat(h.job("j-6").getPhase()).isEqualTo(JobPhase.POLLING);
    assertThat(h.events).isEmpty();
  }

  @Test
  void theNotFoundGraceIsNotMeasuredAcrossTwoMachinesClocks() throws Exception {
    h.run(h.commandRecord(JobHarness.RESTYLE, "j-7", JobHarness.restyle("j-7")));
    h.provider.pollAnswers.add(new ProviderException.TaskNotFound("task_not_exist"));
    h.run(h.lastTicket());
    // the same entry as a former owner whose clock ran 10 minutes behind would have written it
    JobState seen = h.job("j-7");
    Duration behind = Duration.ofMinutes(10);
    h.store.put(
        0,
        JobState.newBuilder(seen)
            .setNotFoundSince(seen.getNotFoundSince().minus(behind))
            .setUpdatedAt(seen.getUpdatedAt().minus(behind))
            .build());
    h.clock.advance(Duration.ofSeconds(10));
    h.provider.pollAnswers.add(new ProviderException.TaskNotFound("task_not_exist"));
    h.run(h.lastTicket());
    assertThat(h.job("j-7").getPhase()).isEqualTo(JobPhase.POLLING);
    assertThat(h.events).isEmpty();
  }

  // clock skew: the deadline is judged on the fleet's timeline (the broker's clock), not on the
  // clock of whichever worker happens to own the job
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"PT10M", "-PT10M"})
  void aWorkerWhoseClockIsOffTenMinutesFailsTheDeadlineNeitherEarlyNorLate(String skew)
      throws Exception {
    JobHarness w = new JobHarness(Duration.parse(skew));
    w.calibrate();
    Instant requested = w.clock.instant();
    var command =
        io.renderrelay.avro.RestyleCommand.newBuilder(JobHarness.restyle("j-skew"))
            .setRequestedAt(requested)
            .setDeadline(requested.plus(Duration.ofMinutes(4)))
            .build();
    w.run(w.commandRecord(JobHarness.RESTYLE, "j-skew", command));
    assertThat(w.events).isEmpty();
    assertThat(w.job("j-skew").getPhase()).isEqualTo(JobPhase.POLLING);
    // three minutes later by the true clock: before the deadline, the job goes on
    w.clock.advance(Duration.ofMinutes(3));
    w.provider.pollAnswers.add(JobHarness.snapshot(TaskStatus.RUNNING, "1"));
    w.run(w.lastTicket());
    assertThat(w.events).isEmpty();
    // a minute past the deadline by the true clock: the job fails, not ten minutes later
    w.clock.advance(Duration.ofMinutes(2));
    w.provider.pollAnswers.add(JobHarness.snapshot(TaskStatus.RUNNING, "1"));
    w.run(w.lastTicket());
    assertThat(w.events).hasSize(1);
    assertThat(((RenderFailed) w.events.get(0)).getReason())
        .isEqualTo(FailureReason.DEADLINE_EXCEEDED);
  }

  // stall between the committed intent and the POST (SIGSTOP past the session timeout): the
  // former owner never POSTs once its ownership may have lapsed and says so; the next owner waits
  // for that word and pays once, instead of declaring an unsent submit AMBIGUOUS
  @Test
  void aWorkerStalledBetweenIntentAndPostNeverPostsAndTheNextOwnerPaysOnce() throws Exception {
    JobHarness old = new JobHarness();
    var command = old.commandRecord(JobHarness.RESTYLE, "j-stall", JobHarness.restyle("j-stall"));
    StepResult intent =
        old.router.route(command, io.renderrelay.worker.engine.Lease.always()).run();
    old.apply(intent); // the intent's transaction committed; then the worker froze
    assertThat(old.job("j-stall").getPhase()).isEqualTo(JobPhase.SUBMITTING);

    // its partitions moved: the next owner restores the ledger and gets the command again
    JobHarness next = new JobHarness();
    next.store.put(0, old.job("j-stall"));
    next.clock.advance(Duration.ofSeconds(10));
    next.run(next.commandRecord(JobHarness.RESTYLE, "j-stall", JobHarness.restyle("j-stall")));
    assertThat(next.events).isEmpty();
    assertThat(next.job("j-stall").getPhase()).isEqualTo(JobPhase.SUBMITTING);

    // SIGCONT 20 s after the freeze: the old step goes on before its consumer noticed the move
    old.clock.advance(Duration.ofSeconds(20));
    old.apply(intent.next().orElseThrow().run());
    assertThat(old.provider.submits).isEmpty();
    assertThat(old.outOfBand).hasSize(1);

    // its word reaches the next owner, which submits once
    next.clock.advance(Duration.ofSeconds(10));
    next.run(next.consumed(old.outOfBand.get(0)));
    assertThat(next.provider.submits).containsEntry("j-stall", 1);
    assertThat(next.job("j-stall").getPhase()).isEqualTo(JobPhase.POLLING);
    assertThat(next.events).isEmpty();
    // the wait's own ticket, coming later, finds nothing to decide
    next.clock.advance(next.unresolvedWait);
    next.run(
        next.consumed(
            next.on("render.poll.10s").stream().findFirst().orElseThrow())); // the first recheck
    assertThat(next.events).isEmpty();
    assertThat(next.provider.submits).containsEntry("j-stall", 1);
  }

  // the same stall, but the woken worker lost its partitions first and dropped the submit step
  // without running it: the sweep of unclaimed intents says "not sent" for it
  @Test
  void aSubmitStepDroppedWithItsPartitionIsSweptAsNotSentAndNeverPosts() throws Exception {
    JobHarness old = new JobHarness();
    var command = old.commandRecord(JobHarness.RESTYLE, "j-drop", JobHarness.restyle("j-drop"));
    StepResult intent =
        old.router.route(command, io.renderrelay.worker.engine.Lease.always()).run();
    old.apply(intent);
    old.router.sweepAbandonedSubmits();
    assertThat(old.outOfBand).as("a fresh intent is not swept").isEmpty();
    old.clock.advance(Duration.ofSeconds(20));
    old.router.sweepAbandonedSubmits();
    assertThat(old.outOfBand).hasSize(1);
    // had the step still run after the sweep, it would neither POST nor say anything else
    old.apply(intent.next().orElseThrow().run());
    assertThat(old.provider.submits).isEmpty();
    assertThat(old.outOfBand).hasSize(1);

    JobHarness next = new JobHarness();
    next.store.put(0, old.job("j-drop"));
    next.run(next.commandRecord(JobHarness.RESTYLE, "j-drop", JobHarness.restyle("j-drop")));
    next.run(next.consumed(old.outOfBand.get(0)));
    assertThat(next.provider.submits).containsEntry("j-drop", 1);
    assertThat(next.job("j-drop").getPhase()).isEqualTo(JobPhase.POLLING);
    assertThat(next.events).isEmpty();
  }

  // found by the stall scenario: a worker frozen right after its POST (ownership still certain, so
  // no word) whose transaction was then fenced left the next owner only the AMBIGUOUS policy for a
  // job paid once
  @Test
  void aWorkerFrozenBetweenItsPostAndItsCommitStillGivesTheNextOwnerItsTask() throws Exception {
    JobHarness old = new JobHarness();
    var command = old.commandRecord(JobHarness.RESTYLE, "j-froze", JobHarness.restyle("j-froze"));
    StepResult intent =
        old.router.route(command, io.renderrelay.worker.engine.Lease.always()).run();
    old.apply(intent);
    StepResult posted = intent.next().orElseThrow().run(); // POST answered; the commit is fenced
    assertThat(old.provider.submits).containsEntry("j-froze", 1);
    assertThat(posted.sourceDone()).isTrue();

    JobHarness next = new JobHarness();
    next.store.put(0, old.job("j-froze")); // SUBMITTING without a task id
    next.run(next.commandRecord(JobHarness.RESTYLE, "j-froze", JobHarness.restyle("j-froze")));
    assertThat(old.outOfBand).as("the word 'sent, task X'").hasSize(1);
    next.run(next.consumed(old.outOfBand.get(0)));
    assertThat(next.job("j-froze").getPhase()).isEqualTo(JobPhase.POLLING);
    assertThat(next.job("j-froze").getTaskId()).isNotNull();
    assertThat(next.provider.submits).isEmpty();
    assertThat(next.events).isEmpty();
  }

  // a word "sent" that reaches the owner after its own commit finds the job POLLING: no change
  @Test
  void theSentWordOfACommittedSubmitIsStale() throws Exception {
    var command = h.commandRecord(JobHarness.RESTYLE, "j-ok", JobHarness.restyle("j-ok"));
    h.run(command);
    assertThat(h.job("j-ok").getPhase()).isEqualTo(JobPhase.POLLING);
    String task = h.job("j-ok").getTaskId();
    assertThat(h.outOfBand).hasSize(1);
    h.run(h.consumed(h.outOfBand.get(0)));
    assertThat(h.job("j-ok").getPhase()).isEqualTo(JobPhase.POLLING);
    assertThat(h.job("j-ok").getTaskId()).isEqualTo(task);
    assertThat(h.provider.submits).containsEntry("j-ok", 1);
    assertThat(h.events).isEmpty();
  }

  // found by the deploy scenario (2 of 960 jobs never ended): a word requeued the job, the requeue
  // committed, and the partition moved before its next intent ran; the next owner got the word
  // again, found the job QUEUED, dropped the word as stale, and nothing drove the job any more
  @Test
  void aJobRequeuedByAWordWhosePartitionMovedBeforeItsNextIntentIsResumedByTheWordAgain()
      throws Exception {
    JobHarness old = new JobHarness();
    var command = old.commandRecord(JobHarness.RESTYLE, "j-moved", JobHarness.restyle("j-moved"));
    StepResult intent =
        old.router.route(command, io.renderrelay.worker.engine.Lease.always()).run();
    old.apply(intent);
    old.clock.advance(Duration.ofSeconds(20));
    old.router.sweepAbandonedSubmits();
    assertThat(old.outOfBand).hasSize(1);
    var word = old.consumed(old.outOfBand.get(0));
    StepResult requeued = old.router.route(word, io.renderrelay.worker.engine.Lease.always()).run();
    old.apply(requeued); // committed; the partition moved before the next intent ran
    assertThat(old.job("j-moved").getPhase()).isEqualTo(JobPhase.QUEUED);
    assertThat(requeued.next()).isPresent();

    JobHarness next = new JobHarness();
    next.store.put(0, old.job("j-moved"));
    next.run(next.consumed(old.outOfBand.get(0))); // its offset waited for the continuation
    assertThat(next.provider.submits).containsEntry("j-moved", 1);
    assertThat(next.job("j-moved").getPhase()).isEqualTo(JobPhase.POLLING);
    assertThat(old.provider.submits).isEmpty();
  }

  // review of the QUEUED-word fix: on a stopping worker the word meeting a QUEUED job writes
  // nothing and leaves its record to the next owner; copies of the word (sent twice, or delivered
  // again) drive the job once: the first submits, the others meet it POLLING and are stale
  @Test
  void aWordMeetingAQueuedJobOnAStoppingWorkerHandsOverAndItsCopiesPayOnce() throws Exception {
    JobHarness old = new JobHarness();
    var command = old.commandRecord(JobHarness.RESTYLE, "j-twice", JobHarness.restyle("j-twice"));
    old.apply(old.router.route(command, io.renderrelay.worker.engine.Lease.always()).run());
    old.clock.advance(Duration.ofSeconds(20));
    old.router.sweepAbandonedSubmits();
    var word = old.outOfBand.get(0);
    old.apply(
        old.router.route(old.consumed(word), io.renderrelay.worker.engine.Lease.always()).run());
    assertThat(old.job("j-twice").getPhase()).isEqualTo(JobPhase.QUEUED);

    JobHarness next = new JobHarness();
    next.store.put(0, old.job("j-twice"));
    next.accepting = false;
    List<StepResult> stopping = next.run(next.consumed(word));
    assertThat(stopping).hasSize(1);
    assertThat(stopping.get(0).sourceDone()).isFalse();
    assertThat(stopping.get(0).ledger()).isEmpty();
    assertThat(next.job("j-twice").getPhase()).isEqualTo(JobPhase.QUEUED);

    next.accepting = true;
    next.run(next.consumed(word));
    next.run(next.consumed(word));
    assertThat(next.provider.submits).containsEntry("j-twice", 1);
    assertThat(next.job("j-twice").getPhase()).isEqualTo(JobPhase.POLLING);
    assertThat(old.provider.submits).isEmpty();
  }

  // found in review of the QUEUED-word fix: the same stranding one step later. The word requeued
  // the
  // job and its continuation committed a new intent; that owner died (no sweep, no word of its own)
  // before the POST. The third owner gets the word again (its offset waited for the chain), finds
  // SUBMITTING in a newer intent, and dropped it as stale: nothing drove the job any more, it
  // stayed
  // SUBMITTING for good instead of waiting for a word and then meeting the ambiguous policy
  @Test
  void aWordAboutAnOlderIntentOfAnUnresolvedJobKeepsItDrivenUntilThePolicyApplies()
      throws Exception {
    JobHarness first = new JobHarness();
    var command = first.commandRecord(JobHarness.RESTYLE, "j-died", JobHarness.restyle("j-died"));
    first.apply(first.router.route(command, io.renderrelay.worker.engine.Lease.always()).run());
    first.clock.advance(Duration.ofSeconds(20));
    first.router.sweepAbandonedSubmits();
    assertThat(first.outOfBand).hasSize(1);

    JobHarness second = new JobHarness();
    second.clock.advance(Duration.ofSeconds(30));
    second.store.put(0, first.job("j-died"));
    var word = second.consumed(first.outOfBand.get(0));
    StepResult requeued =
        second.router.route(word, io.renderrelay.worker.engine.Lease.always()).run();
    second.apply(requeued);
    StepResult intent = requeued.next().orElseThrow().run();
    second.apply(intent); // the new intent committed; the owner dies before its submit step
    JobState stranded = second.job("j-died");
    assertThat(stranded.getPhase()).isEqualTo(JobPhase.SUBMITTING);
    assertThat(stranded.getUpdatedAt()).isNotEqualTo(first.job("j-died").getUpdatedAt());

    JobHarness third = new JobHarness();
    third.clock.advance(Duration.ofSeconds(40));
    third.store.put(0, stranded);
    third.run(third.consumed(first.outOfBand.get(0))); // delivered again
    assertThat(third.job("j-died").getPhase()).isEqualTo(JobPhase.SUBMITTING);
    third.clock.advance(third.unresolvedWait.plusSeconds(1));
    third.run(third.lastTicketOf("j-died"));
    assertThat(third.job("j-died").getPhase()).isEqualTo(JobPhase.AMBIGUOUS);
    assertThat(first.provider.submits).isEmpty();
    assertThat(second.provider.submits).isEmpty();
    assertThat(third.provider.submits).isEmpty();
  }

  // found by the in-flight bench: a loaded worker that still owns its partition but whose step ran
  // after the sweep said "not sent" left its command record unfinished, so that partition's offsets
  // never committed again (the bench waited 3 minutes for a lag of 0) until a rebalance
  @Test
  void aSlowStepSweptWhileItsPartitionStaysOwnedSettlesItsRecordAndTheWordIsThenStale()
      throws Exception {
    StepResult intent = sweptBeforeItsStepRan("j-slow");
    List<StepResult> late = runOn(intent.next().orElseThrow());
    assertThat(late.get(late.size() - 1).sourceDone())
        .as("the record is settled here, not left for a next owner that never comes")
        .isTrue();
    assertThat(h.provider.submits).containsEntry("j-slow", 1);
    h.run(h.consumed(h.outOfBand.get(0)));
    assertThat(h.provider.submits).as("the word is about a withdrawn intent").hasSize(1);
    assertThat(h.provider.submits).containsEntry("j-slow", 1);
    assertThat(h.job("j-slow").getPhase()).isEqualTo(JobPhase.POLLING);
  }

  // review b12x: the sweep's word goes out of band, and a failed send is only logged; a step that
  // finished its record on the strength of that word left the job SUBMITTING for good, with no
  // record left to bring it back (no event, no deadline check, no AMBIGUOUS either)
  @Test
  void aSweptStepWhoseWordIsLostStillSettlesItsJobAndNothingIsPaidTwice() throws Exception {
    StepResult intent = sweptBeforeItsStepRan("j-lost");
    var word = h.outOfBand.remove(0); // the producer's send failed: nobody gets it

    runOn(intent.next().orElseThrow());
    assertThat(h.job("j-lost").getPhase())
        .as("not left SUBMITTING waiting for a word that never comes")
        .isEqualTo(JobPhase.POLLING);
    assertThat(h.provider.submits).containsEntry("j-lost", 1);

    // the send had failed only as far as the producer knew: the word arrives after all
    h.clock.advance(Duration.ofSeconds(5));
    h.run(h.consumed(word));
    assertThat(h.provider.submits).hasSize(1).containsEntry("j-lost", 1);
    assertThat(h.job("j-lost").getPhase()).isEqualTo(JobPhase.POLLING);
    assertThat(h.events).isEmpty();
  }

  /** A committed intent whose step has not run when the sweep says "not sent" for it. */
  private StepResult sweptBeforeItsStepRan(String jobId) throws Exception {
    var command = h.commandRecord(JobHarness.RESTYLE, jobId, JobHarness.restyle(jobId));
    StepResult intent = h.router.route(command, io.renderrelay.worker.engine.Lease.always()).run();
    h.apply(intent);
    h.clock.advance(Duration.ofSeconds(20));
    h.router.sweepAbandonedSubmits();
    assertThat(h.outOfBand).hasSize(1);
    return intent;
  }

  /** Runs a step and its continuations as the engine would, each after its commit. */
  private List<StepResult> runOn(io.renderrelay.worker.engine.Step first) throws Exception {
    List<StepResult> results = new java.util.ArrayList<>();
    io.renderrelay.worker.engine.Step step = first;
    for (int i = 0; i < 20 && step != null; i++) {
      StepResult r = step.run();
      results.add(r);
      h.apply(r);
      h.clock.advance(r.nextDelay());
      step = r.next().orElse(null);
    }
    return results;
  }

  @Test
  void aFormerOwnersSentWordGivesTheNextOwnerItsTaskInsteadOfAmbiguous() throws Exception {
    JobHarness old = new JobHarness();
    var command = old.commandRecord(JobHarness.RESTYLE, "j-sent", JobHarness.restyle("j-sent"));
    StepResult intent =
        old.router.route(command, io.renderrelay.worker.engine.Lease.always()).run();
    old.apply(intent);
    JobHarness next = new JobHarness();
    next.store.put(0, old.job("j-sent"));
    next.run(next.commandRecord(JobHarness.RESTYLE, "j-sent", JobHarness.restyle("j-sent")));
    // a "not sent" of an earlier, withdrawn intent of the job is stale: it settles nothing
    JobState intentNow = old.job("j-sent");
    next.run(
        next.consumed(
            old.submitWord(
                "j-sent",
                new SubmitWord(intentNow.getUpdatedAt().toEpochMilli() - 1, Optional.empty()))));
    assertThat(next.job("j-sent").getPhase()).isEqualTo(JobPhase.SUBMITTING);
    assertThat(next.provider.submits).isEmpty();
    // the old owner froze after its POST was sent; back, its commit is fenced, its word is not
    next.run(next.consumed(old.submitWord("j-sent", SubmitWord.sent(intentNow, "task-77"))));
    assertThat(next.job("j-sent").getPhase()).isEqualTo(JobPhase.POLLING);
    assertThat(next.job("j-sent").getTaskId()).isEqualTo("task-77");
    assertThat(next.provider.submits).isEmpty();
    assertThat(next.events).isEmpty();
  }

  @Test
  void aCallbackTicketCarriesNoDueTimeFromTheReceivingReplicasClock() {
    Instant aheadByTenMinutes = h.clock.instant().plus(Duration.ofMinutes(10));
    var ticket = h.lastTicketRecordsFactory().callbackTicket("j-8", aheadByTenMinutes);
    assertThat(DelayHeaders.due(ticket.headers()).isPresent()).isFalse();
  }

  @Test
  void aBacklogWaitsForPermitsWithoutIntentsAndASigtermStrandsNone() throws Exception {
    List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> backlog =
        new java.util.ArrayList<>();
    for (int i = 0; i < 10; i++) {
      backlog.add(h.commandRecord(JobHarness.RESTYLE, "b-" + i, JobHarness.restyle("b-" + i)));
    }
    // SIGTERM while the 6th job waits for its permit (burst 3, then one a second)
    java.util.concurrent.atomic.AtomicInteger waits =
        new java.util.concurrent.atomic.AtomicInteger();
    h.onPermitWait =
        () -> {
          if (waits.incrementAndGet() == 3) {
            h.accepting = false;
          }
        };
    for (var r : backlog) {
      h.run(r);
    }
    long paid = h.provider.submits.size();
    assertThat(paid).isBetween(3L, 6L);
    for (int i = 0; i < 10; i++) {
      var entry = h.store.get(0, "b-" + i);
      if (h.provider.submits.containsKey("b-" + i)) {
        assertThat(entry.orElseThrow().getPhase()).isEqualTo(JobPhase.POLLING);
      } else {
        // no intent was committed for an unsent job: the next owner takes it up without doubt
        assertThat(entry).isEmpty();
      }
    }
    // the next owner re-runs the stranded commands: all are submitted, none is AMBIGUOUS
    JobHarness next = new JobHarness();
    for (int i = 0; i < 10; i++) {
      h.store.get(0, "b-" + i).ifPresent(s -> next.store.put(0, s));
    }
    for (int i = 0; i < 10; i++) {
      next.run(next.commandRecord(JobHarness.RESTYLE, "b-" + i, JobHarness.restyle("b-" + i)));
    }
    for (int i = 0; i < 10; i++) {
      assertThat(next.job("b-" + i).getPhase()).isEqualTo(JobPhase.POLLING);
    }
    assertThat(h.provider.submits.size() + next.provider.submits.size()).isEqualTo(10);
    assertThat(next.events).isEmpty();
  }

  @Test
  void theIntentIsCommittedOnlyOnceThePermitIsInHandAndThePostUsesIt() throws Exception {
    for (int i = 0; i < 3; i++) { // the burst
      h.run(h.commandRecord(JobHarness.RESTYLE, "p-" + i, JobHarness.restyle("p-" + i)));
    }
    h.onPermitWait = () -> assertThat(h.store.get(0, "p-3")).isEmpty();
    var r = h.commandRecord(JobHarness.RESTYLE, "p-3", JobHarness.restyle("p-3"));
    h.run(r);
    assertThat(h.sleeps).isNotEmpty();
    assertThat(h.provider.permits).hasSize(4).allSatisfy(p -> assertThat(p).isPresent());
    assertThat(h.job("p-3").getPhase()).isEqualTo(JobPhase.POLLING);
  }

  @Test
  void aStopBetweenIntentAndPostWithdrawsTheIntentInsteadOfLeavingItInDoubt() throws Exception {
    var r = h.commandRecord(JobHarness.RESTYLE, "s-1", JobHarness.restyle("s-1"));
    StepResult intent = h.router.route(r, () -> true).run();
    intent.ledger().forEach(w -> h.store.put(0, w.state().orElseThrow()));
    assertThat(h.job("s-1").getPhase()).isEqualTo(JobPhase.SUBMITTING);
    h.accepting = false;
    StepResult post = intent.next().orElseThrow().run();
    assertThat(h.provider.submits).isEmpty();
    assertThat(post.ledger())
        .singleElement()
        .satisfies(w -> assertThat(w.state().orElseThrow().getPhase()).isEqualTo(JobPhase.QUEUED));
    assertThat(post.sourceDone()).isFalse();
  }

  @Test
  void anExpiredPermitIsNotUsedForThePost() throws Exception {
    var r = h.commandRecord(JobHarness.RESTYLE, "e-1", JobHarness.restyle("e-1"));
    StepResult intent = h.router.route(r, () -> true).run();
    intent.ledger().forEach(w -> h.store.put(0, w.state().orElseThrow()));
    h.clock.advance(Duration.ofSeconds(10)); // a commit that took longer than the permit lives
    StepResult post = intent.next().orElseThrow().run();
    assertThat(h.provider.submits).isEmpty();
    assertThat(post.ledger())
        .singleElement()
        .satisfies(w -> assertThat(w.state().orElseThrow().getPhase()).isEqualTo(JobPhase.QUEUED));
  }

  @Test
  void aLeaseLostBetweenIntentAndPostSendsNothing() throws Exception {
    java.util.concurrent.atomic.AtomicBoolean owned =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    var r = h.commandRecord(JobHarness.RESTYLE, "l-1", JobHarness.restyle("l-1"));
    StepResult intent = h.router.route(r, owned::get).run();
    owned.set(false);
    StepResult post = intent.next().orElseThrow().run();
    assertThat(h.provider.submits).isEmpty();
    assertThat(post.records()).isEmpty();
  }
}
