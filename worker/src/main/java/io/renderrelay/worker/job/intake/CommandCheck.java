package io.renderrelay.worker.job.intake;

import io.renderrelay.worker.job.state.JobCommand;
import java.util.List;

/** Validates a decoded command before anything is paid; empty = valid. */
@FunctionalInterface
public interface CommandCheck {

  List<String> problems(JobCommand command);
}
