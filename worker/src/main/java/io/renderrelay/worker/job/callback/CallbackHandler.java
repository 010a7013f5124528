package io.renderrelay.worker.job.callback;

/**
 * Handles one provider callback (POST /callbacks/{jobId}/{token}). A callback is only a hint: the
 * handler checks the token and moves the job's next poll to now.
 */
@FunctionalInterface
public interface CallbackHandler {

  CallbackResult handle(String jobId, String token, byte[] body);
}
