package io.renderrelay.worker.job;

import static io.renderrelay.worker.job.JobHarness.failed;
import static io.renderrelay.worker.job.JobHarness.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.avro.JobPhase;
import io.renderrelay.avro.JobState;
import io.renderrelay.worker.config.WorkerConfig.AmbiguousPolicy;
import io.renderrelay.worker.engine.Lease;
import io.renderrelay.worker.engine.StepResult;
import io.renderrelay.worker.job.submit.SubmitWord;
import io.renderrelay.worker.provider.TaskStatus;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * The word "sent, task X" that every submit which created a task says before the transaction that
 * records the task (review rv5): where it arrives, before or after that entry, about this intent or
 * an older one, after the transaction aborted or the policy already ended the job, it settles the
 * job at most once and pays nothing again.
 */
class SentWordTest {

  private static final String CMD = JobHarness.RESTYLE;

  @Test
  void theWordReachingTheNextOwnerBeforeTheCommandGivesTheTaskAndTheCommandPaysNothing()
      throws Exception {
    JobHarness old = new JobHarness();
    var command = postedButNotCommitted(old, "j-early");
    String task = taskOf(old.outOfBand.get(0));

    JobHarness next = new JobHarness();
    next.store.put(0, old.job("j-early"));
    next.run(next.consumed(old.outOfBand.get(0))); // the word first, then the command again
    next.run(again(next, command));
    assertThat(next.job("j-early").getPhase()).isEqualTo(JobPhase.POLLING);
    assertThat(next.job("j-early").getTaskId()).isEqualTo(task);
    assertThat(next.provider.submits).isEmpty();
    assertThat(old.provider.submits).containsEntry("j-early", 1);
    assertThat(next.events).isEmpty();
  }

  // a transaction that aborted (broker timeout) restarts the pipeline on the same partitions: the
  // same process finds its own intent unresolved, and its own word settles it; the wait ticket it
  // left meanwhile is stale once the job polls
  @Test
  void anOwnerWhoseTransactionAbortedAfterThePostLearnsItsTaskFromItsOwnWord() throws Exception {
    JobHarness h = new JobHarness();
    var command = postedButNotCommitted(h, "j-abort");
    String task = taskOf(h.outOfBand.get(0));
    h.run(command); // redelivered after the restart
    assertThat(h.job("j-abort").getPhase()).isEqualTo(JobPhase.SUBMITTING);
    ConsumerRecord<byte[], byte[]> waitTicket = h.lastTicketOf("j-abort");

    h.run(h.consumed(h.outOfBand.get(0)));
    assertThat(h.job("j-abort").getPhase()).isEqualTo(JobPhase.POLLING);
    assertThat(h.job("j-abort").getTaskId()).isEqualTo(task);

    h.clock.advance(h.unresolvedWait.plusSeconds(1));
    h.run(waitTicket);
    assertThat(h.job("j-abort").getPhase()).isEqualTo(JobPhase.POLLING);
    assertThat(h.job("j-abort").getTaskId()).isEqualTo(task);
    assertThat(h.provider.submits).containsEntry("j-abort", 1);
    assertThat(h.events).isEmpty();
  }

  // a word later than the wait (a stall longer than jobs.unresolved-submit-wait) meets a job the
  // policy already ended: it changes nothing and sends no second event
  @Test
  void aWordLaterThanTheWaitMovesNoAmbiguousJob() throws Exception {
    JobHarness old = new JobHarness();
    var command = postedButNotCommitted(old, "j-late");

    JobHarness next = new JobHarness();
    next.store.put(0, old.job("j-late"));
    next.run(again(next, command));
    next.clock.advance(next.unresolvedWait.plusSeconds(1));
    next.run(next.lastTicketOf("j-late"));
    assertThat(next.job("j-late").getPhase()).isEqualTo(JobPhase.AMBIGUOUS);
    assertThat(next.events).hasSize(1);

    next.run(next.consumed(old.outOfBand.get(0)));
    assertThat(next.job("j-late").getPhase()).isEqualTo(JobPhase.AMBIGUOUS);
    assertThat(next.job("j-late").getTaskId()).isNull();
    assertThat(next.events).hasSize(1);
    assertThat(next.provider.submits).isEmpty();
  }

  // under RESUBMIT the next owner paid again after the wait (the policy's price); the former
  // owner's late word must not swap the job onto the former task nor pay a third time
  @Test
  void aWordLaterThanAResubmitLeavesTheJobOnItsNewTask() throws Exception {
    JobHarness old = new JobHarness();
    var command = postedButNotCommitted(old, "j-resub");
    String oldTask = taskOf(old.outOfBand.get(0));

    JobHarness next = new JobHarness();
    next.policy = AmbiguousPolicy.RESUBMIT;
    next.rebuild();
    next.store.put(0, old.job("j-resub"));
    next.run(again(next, command));
    assertThat(next.provider.submits).isEmpty();
    next.clock.advance(next.unresolvedWait.plusSeconds(1));
    next.run(next.lastTicketOf("j-resub"));
    assertThat(next.provider.submits).containsEntry("j-resub", 1);
    JobState resubmitted = next.job("j-resub");
    assertThat(resubmitted.getPhase()).isEqualTo(JobPhase.POLLING);

    next.run(next.consumed(old.outOfBand.get(0)));
    assertThat(next.job("j-resub")).isEqualTo(resubmitted);
    assertThat(next.provider.submits).containsEntry("j-resub", 1);
    assertThat(next.events).isEmpty();
    assertThat(oldTask).isNotNull();
  }

  // the task failed (refunded), the job was resubmitted and its new intent committed, then that
  // owner died before its POST; the first submit's word, delivered again, is about the older
  // intent: it must not attach the failed task to the new intent, only keep the job driven
  @Test
  void aSentWordOfAFailedTaskDoesNotAttachThatTaskToTheNextIntent() throws Exception {
    JobHarness old = new JobHarness();
    old.run(old.commandRecord(CMD, "j-again", JobHarness.restyle("j-again")));
    var firstWord = old.outOfBand.get(0);
    assertThat(taskOf(firstWord)).isEqualTo(old.job("j-again").getTaskId());
    old.clock.advance(Duration.ofMinutes(2));
    old.provider.pollAnswers.add(failed(false, true, "node lost"));
    StepResult requeued = old.router.route(callback(old, "j-again"), Lease.always()).run();
    old.apply(requeued);
    assertThat(old.job("j-again").getPhase()).isEqualTo(JobPhase.QUEUED);
    old.apply(requeued.next().orElseThrow().run()); // the new intent; the owner dies here
    JobState secondIntent = old.job("j-again");
    assertThat(secondIntent.getPhase()).isEqualTo(JobPhase.SUBMITTING);

    JobHarness next = new JobHarness();
    next.clock.advance(Duration.ofMinutes(2));
    next.store.put(0, secondIntent);
    next.run(next.consumed(firstWord));
    assertThat(next.job("j-again").getPhase()).isEqualTo(JobPhase.SUBMITTING);
    assertThat(next.job("j-again").getTaskId()).isNull();
    next.clock.advance(next.unresolvedWait.plusSeconds(1));
    next.run(next.lastTicketOf("j-again"));
    assertThat(next.job("j-again").getPhase()).isEqualTo(JobPhase.AMBIGUOUS);
    assertThat(next.provider.submits).isEmpty();
    assertThat(old.provider.submits).containsEntry("j-again", 1);
  }

  // the requeue after a refunded failure committed, then the partition moved: the next owner gets
  // both the record that drove the requeue and the first submit's word again; together they submit
  // the job once
  @Test
  void anOldSentWordAndTheRequeuesOwnRecordTogetherSubmitARequeuedJobOnce() throws Exception {
    JobHarness old = new JobHarness();
    old.run(old.commandRecord(CMD, "j-both", JobHarness.restyle("j-both")));
    var firstWord = old.outOfBand.get(0);
    old.clock.advance(Duration.ofMinutes(2));
    old.provider.pollAnswers.add(failed(false, true, "node lost"));
    ProducerRecord<byte[], byte[]> poke = callbackRecord(old, "j-both");
    StepResult requeued = old.router.route(old.consumed(poke), Lease.always()).run();
    old.apply(requeued); // committed; the partition moved before the resubmit ran
    assertThat(old.job("j-both").getPhase()).isEqualTo(JobPhase.QUEUED);

    JobHarness next = new JobHarness();
    next.clock.advance(Duration.ofMinutes(2));
    next.store.put(0, old.job("j-both"));
    next.run(next.consumed(firstWord));
    next.provider.pollAnswers.add(snapshot(TaskStatus.RUNNING, "RUNNING"));
    next.run(next.consumed(poke));
    assertThat(next.provider.submits).containsEntry("j-both", 1);
    assertThat(next.job("j-both").getPhase()).isEqualTo(JobPhase.POLLING);
    assertThat(next.events).isEmpty();
  }

  @Test
  void aSentWordMovesNoCompletedJob() throws Exception {
    JobHarness h = new JobHarness();
    h.run(h.commandRecord(CMD, "j-done", JobHarness.restyle("j-done")));
    var word = h.outOfBand.get(0);
    h.provider.pollAnswers.add(snapshot(TaskStatus.SUCCEEDED, "SUCCEEDED"));
    h.run(callback(h, "j-done"));
    JobState done = h.job("j-done");
    assertThat(done.getPhase()).isEqualTo(JobPhase.COMPLETED);
    int events = h.events.size();

    h.run(h.consumed(word));
    assertThat(h.job("j-done")).isEqualTo(done);
    assertThat(h.events).hasSize(events);
    assertThat(h.provider.submits).containsEntry("j-done", 1);
  }

  // a drain that ends by its grace interrupts a step waiting for its POST's answer; the step still
  // reads the answer and keeps the interrupt (PauseAwareWait), and its result is dropped with the
  // partition: the word is all the next owner will learn. A KafkaProducer that has to fetch the
  // topic's metadata first (none yet, or idle past metadata.max.idle.ms) throws InterruptException
  // from send() when the calling thread is interrupted, so the word was lost and the job paid once
  // ended AMBIGUOUS
  @Test
  void anInterruptedSubmitThatReadItsAnswerStillSaysSent() throws Exception {
    JobHarness old = new JobHarness();
    old.sendOutOfBand =
        r -> {
          if (Thread.currentThread().isInterrupted()) {
            throw new org.apache.kafka.common.errors.InterruptException(
                new InterruptedException("waiting for the topic's metadata"));
          }
          old.outOfBand.add(r);
        };
    old.provider.submitAnswers.add((Runnable) () -> Thread.currentThread().interrupt());
    var command = old.commandRecord(CMD, "j-drained", JobHarness.restyle("j-drained"));
    StepResult intent = old.router.route(command, Lease.always()).run();
    old.apply(intent);
    try {
      intent.next().orElseThrow().run(); // dropped: the partition moved
      assertThat(Thread.currentThread().isInterrupted())
          .as("the interrupt is kept for the step's caller")
          .isTrue();
    } finally {
      Thread.interrupted();
    }
    assertThat(old.provider.submits).containsEntry("j-drained", 1);
    assertThat(old.outOfBand).as("the word 'sent, task X'").hasSize(1);

    JobHarness next = new JobHarness();
    next.store.put(0, old.job("j-drained"));
    next.run(next.consumed(old.outOfBand.get(0)));
    assertThat(next.job("j-drained").getPhase()).isEqualTo(JobPhase.POLLING);
    assertThat(next.job("j-drained").getTaskId()).isEqualTo(taskOf(old.outOfBand.get(0)));
    assertThat(next.provider.submits).isEmpty();
  }

  /**
   * The intent committed and the POST created a task, but the transaction recording it never
   * committed (frozen and fenced, killed, or aborted); returns the command record.
   */
  private static ConsumerRecord<byte[], byte[]> postedButNotCommitted(JobHarness h, String jobId)
      throws Exception {
    var command = h.commandRecord(CMD, jobId, JobHarness.restyle(jobId));
    StepResult intent = h.router.route(command, Lease.always()).run();
    h.apply(intent);
    StepResult posted = intent.next().orElseThrow().run(); // never applied
    assertThat(posted.sourceDone()).isTrue();
    assertThat(h.provider.submits).containsEntry(jobId, 1);
    assertThat(h.outOfBand).as("the word 'sent, task X'").hasSize(1);
    assertThat(h.job(jobId).getPhase()).isEqualTo(JobPhase.SUBMITTING);
    return command;
  }

  private static String taskOf(ProducerRecord<byte[], byte[]> word) {
    return SubmitWord.of(word.headers()).orElseThrow().taskId().orElseThrow();
  }

  private static ProducerRecord<byte[], byte[]> callbackRecord(JobHarness h, String jobId) {
    return h.lastTicketRecordsFactory().callbackTicket(jobId, h.clock.instant());
  }

  private static ConsumerRecord<byte[], byte[]> callback(JobHarness h, String jobId) {
    return h.consumed(callbackRecord(h, jobId));
  }

  /** The same command, delivered again to another worker. */
  private static ConsumerRecord<byte[], byte[]> again(
      JobHarness next, ConsumerRecord<byte[], byte[]> command) {
    String jobId = new String(command.key(), java.nio.charset.StandardCharsets.UTF_8);
    return next.commandRecord(command.topic(), jobId, JobHarness.restyle(jobId));
  }
}
