package io.renderrelay.worker.job.submit;

import io.renderrelay.avro.JobPhase;
import io.renderrelay.avro.JobState;
import io.renderrelay.worker.config.WorkerConfig.AmbiguousPolicy;
import io.renderrelay.worker.engine.StepResult;
import io.renderrelay.worker.job.core.JobAction;
import io.renderrelay.worker.job.core.JobListener;
import io.renderrelay.worker.job.core.JobRecords;
import io.renderrelay.worker.job.core.JobRules;
import io.renderrelay.worker.job.core.JobStep;
import io.renderrelay.worker.job.core.Transitions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job found SUBMITTING without a task id (its owner stalled, was fenced or died between intent
 * and answer): it waits a bounded time for its former owner's {@link SubmitWord}, which settles it
 * without doubt; after that the configured policy decides, and the default never pays twice
 * silently.
 */
final class Unresolved {

  private static final Logger log = LoggerFactory.getLogger(Unresolved.class);

  private final JobRules rules;
  private final JobRecords records;
  private final Transitions transitions;
  private final SubmitCall call;
  private final JobAction intent;
  private final JobListener listener;
  private final Clock clock;

  Unresolved(
      JobRules rules,
      JobRecords records,
      Transitions transitions,
      SubmitCall call,
      JobAction intent,
      JobListener listener,
      Clock clock) {
    this.rules = rules;
    this.records = records;
    this.transitions = transitions;
    this.call = call;
    this.intent = intent;
    this.listener = listener;
    this.clock = clock;
  }

  StepResult found(JobStep step, JobState job) {
    Instant now = clock.instant();
    if (now.isBefore(job.getUpdatedAt().plus(rules.unresolvedSubmitWait()))) {
      // its former owner may be stalled and will say whether it sent the POST: ask again later
      log.info(
          "job {} found SUBMITTING without a task id (intent at {}): waiting until {} for its"
              + " former owner's word before the ambiguous policy applies",
          job.getJobId(),
          job.getUpdatedAt(),
          job.getUpdatedAt().plus(rules.unresolvedSubmitWait()));
      // (sequence 0: a job that meanwhile started polling, at 1, drops it as stale)
      return step.record(records.scheduledTicket(step.partition(), job, 0, now)).done();
    }
    if (rules.ambiguousPolicy() == AmbiguousPolicy.RESUBMIT) {
      JobState queued = transitions.updated(job).setPhase(JobPhase.QUEUED).build();
      transitions.move(step, job.getPhase(), queued, "ambiguous submit, policy RESUBMIT");
      return step.then(next -> intent.run(next, queued), Duration.ZERO);
    }
    return transitions.ambiguous(
        step,
        job,
        "found an uncommitted submit intent after a restart: the provider may or may not have"
            + " created (and billed) a task; not resubmitted");
  }

  /**
   * A former owner's word on this job's submit: it settles a job found SUBMITTING without a task id
   * in the same intent, without doubt; about an older intent of such a job, it keeps the job driven
   * as {@link #found} does; any other word is stale.
   */
  StepResult word(JobStep step, JobState job, SubmitWord word) {
    if (job.getPhase() != JobPhase.SUBMITTING || job.getTaskId() != null) {
      listener.staleTicket();
      return StepResult.done();
    }
    if (!word.about(job)) {
      // about an older intent: this word may be all that drives the present one (the chain it
      // started committed a new intent, then its owner died without a word), so the present intent
      // is treated as found unresolved: wait for its own word, then the policy. Its own step, were
      // it still pending here, would hold the job's key, and this word would not run yet
      return found(step, job);
    }
    if (word.taskId().isPresent()) {
      String taskId = word.taskId().get();
      return call.polling(
          step, job, taskId, clock.instant(), "the former owner's submit created task " + taskId);
    }
    return call.requeue(step, job, "the former owner did not send the submit", Duration.ZERO);
  }
}
