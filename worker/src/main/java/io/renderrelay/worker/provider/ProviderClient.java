package io.renderrelay.worker.provider;

import io.renderrelay.avro.ActOneCommand;
import io.renderrelay.avro.RestyleCommand;
import java.net.URI;
import java.util.Optional;

/**
 * The paid render provider (Runway through the CometAPI gateway), seen through one boundary that
 * normalises both answer formats and classifies every error once.
 *
 * <p>Submits are never retried by an implementation once the request may have reached the provider:
 * an answer that leaves it open whether a task was created is thrown as {@link
 * ProviderException.Ambiguous}, and the caller decides (the job becomes AMBIGUOUS).
 */
public interface ProviderClient {

  /**
   * POST /runway/pro/video2video; returns the provider task id.
   *
   * @param permit the gate claim and rate permit taken before the intent (see {@link
   *     SubmitAdmission}); empty: the client checks the gate and waits for the permit itself
   */
  String submitRestyle(RestyleCommand command, URI callbackUrl, Optional<SubmitPermit> permit)
      throws ProviderException;

  /** POST /runway/pro/act_one; returns the provider task id. {@code permit} as for restyle. */
  String submitActOne(ActOneCommand command, URI callbackUrl, Optional<SubmitPermit> permit)
      throws ProviderException;

  /** A restyle submit that checks the gate and waits for its rate permit itself (tools, tests). */
  default String submitRestyle(RestyleCommand command, URI callbackUrl) throws ProviderException {
    return submitRestyle(command, callbackUrl, Optional.empty());
  }

  /** An act-one submit that checks the gate and waits for its rate permit itself. */
  default String submitActOne(ActOneCommand command, URI callbackUrl) throws ProviderException {
    return submitActOne(command, callbackUrl, Optional.empty());
  }

  /** POST /runway/feed ("Feed Get Task"), normalised. */
  TaskSnapshot getTask(String taskId) throws ProviderException;
}
