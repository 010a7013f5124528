package io.renderrelay.worker.job;

import java.io.IOException;

/**
 * Answers {@code GET /jobs/{jobId}} on the management listener: the job's state from the local
 * store of the replica that owns it.
 */
@FunctionalInterface
public interface JobQuery {

  /** Header a replica sets when it forwards a query to the owner: the owner never forwards it. */
  String FORWARDED_HEADER = "X-Render-Relay-Forwarded";

  /** An HTTP status and its JSON body. */
  record Answer(int status, byte[] body) {}

  /**
   * @param forwarded true when another replica forwarded the query here as to the owner
   */
  Answer find(String jobId, boolean forwarded) throws IOException;
}
