package io.renderrelay.worker.job.intake;

import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/** Validates a decoded command before anything is paid; empty = valid. */
@FunctionalInterface
public interface CommandCheck {

  List<String> problems(SpecificRecord command);
}
