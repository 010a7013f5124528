package io.renderrelay.worker.engine;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * A job's work that came from one consumed record.
 *
 * @param generation the assignment generation the record was taken in; results of older generations
 *     are dropped
 * @param attempt how often this step already failed unexpectedly
 */
public record Work(
    ConsumerRecord<byte[], byte[]> record, String key, int generation, int attempt, Step step) {

  public TopicPartition source() {
    return new TopicPartition(record.topic(), record.partition());
  }

  public long offset() {
    return record.offset();
  }

  public Work next(Step step) {
    return new Work(record, key, generation, 0, step);
  }

  public Work retry() {
    return new Work(record, key, generation, attempt + 1, step);
  }
}
