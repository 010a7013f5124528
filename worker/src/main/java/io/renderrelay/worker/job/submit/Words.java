package io.renderrelay.worker.job.submit;

import io.renderrelay.avro.JobState;
import io.renderrelay.worker.job.core.JobRecords;
import java.time.Clock;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Sends this owner's {@link SubmitWord} at once, outside the step's transaction (maybe fenced). */
final class Words {

  private final JobRecords records;
  private final Consumer<ProducerRecord<byte[], byte[]>> outOfBand;
  private final Clock clock;

  Words(JobRecords records, Consumer<ProducerRecord<byte[], byte[]>> outOfBand, Clock clock) {
    this.records = records;
    this.outOfBand = outOfBand;
    this.clock = clock;
  }

  void say(JobState job, SubmitWord word) {
    outOfBand.accept(word.on(records.callbackTicket(job.getJobId(), clock.instant())));
  }
}
