package io.renderrelay.worker.job;

import io.renderrelay.worker.dlt.DeadLetters;
import io.renderrelay.worker.job.core.CallbackTokens;
import io.renderrelay.worker.job.core.EventFactory;
import io.renderrelay.worker.job.core.JobListener;
import io.renderrelay.worker.job.core.JobRecords;
import io.renderrelay.worker.job.core.JobRules;
import io.renderrelay.worker.job.core.OutputKeys;
import io.renderrelay.worker.job.core.Ownership;
import io.renderrelay.worker.job.intake.CommandCheck;
import io.renderrelay.worker.job.intake.CommandDecoder;
import io.renderrelay.worker.ledger.LedgerReader;
import io.renderrelay.worker.provider.ProviderClient;
import io.renderrelay.worker.provider.SubmitAdmission;
import io.renderrelay.worker.spend.SpendGuard;
import io.renderrelay.worker.storage.RenderCopier;
import java.time.Clock;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The parts the composition root hands over to build the job logic. Only {@link JobRouter}'s
 * constructor reads it: it gives each stage (intake, submit, poll, complete) the few parts that
 * stage needs, by constructor; no step sees this record.
 *
 * @param ownership which partition owns a jobId (commands elsewhere are forwarded there)
 * @param admission the gate and submit-rate permit a submit takes before its intent is committed
 * @param spend the budget guard a submit passes before its permit (issue 14)
 * @param accepting false once the worker is stopping: no new paid submit starts
 * @param outOfBand sends a record at once, outside any transaction (a former owner's {@code
 *     SubmitWord}, which must get through even when its transactions are fenced)
 */
public record JobParts(
    Set<String> commandTopics,
    LedgerReader ledger,
    CommandDecoder decoder,
    CommandCheck check,
    ProviderClient provider,
    RenderCopier copier,
    OutputKeys keys,
    CallbackTokens callbacks,
    JobRecords records,
    EventFactory events,
    DeadLetters deadLetters,
    JobRules rules,
    Ownership ownership,
    SubmitAdmission admission,
    SpendGuard spend,
    BooleanSupplier accepting,
    JobListener listener,
    Clock clock,
    Consumer<ProducerRecord<byte[], byte[]>> outOfBand) {}
