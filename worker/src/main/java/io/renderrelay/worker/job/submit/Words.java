package io.renderrelay.worker.job.submit;

import io.renderrelay.avro.JobState;
import io.renderrelay.worker.job.core.JobRecords;
import java.time.Clock;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends this owner's {@link SubmitWord} at once, outside the step's transaction (maybe fenced). */
final class Words {

  private static final Logger log = LoggerFactory.getLogger(Words.class);

  private final JobRecords records;
  private final Consumer<ProducerRecord<byte[], byte[]>> outOfBand;
  private final Clock clock;

  Words(JobRecords records, Consumer<ProducerRecord<byte[], byte[]>> outOfBand, Clock clock) {
    this.records = records;
    this.outOfBand = outOfBand;
    this.clock = clock;
  }

  /**
   * Sends the word; a step interrupted meanwhile (a drain ended by its grace while it read its
   * POST's answer) says it all the same, as the word is then all its next owner learns: a producer
   * that must fetch the topic's metadata first would refuse an interrupted thread. The interrupt is
   * kept for the caller, and a send that fails is only logged (the word is a hint; the step's own
   * transaction, when it commits, records the same).
   */
  void say(JobState job, SubmitWord word) {
    boolean interrupted = Thread.interrupted();
    try {
      outOfBand.accept(word.on(records.callbackTicket(job.getJobId(), clock.instant())));
    } catch (RuntimeException e) {
      log.warn("a submit word for job {} could not be sent: {}", job.getJobId(), e.toString());
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
