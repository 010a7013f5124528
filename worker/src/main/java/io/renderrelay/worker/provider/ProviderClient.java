package io.renderrelay.worker.provider;

import io.renderrelay.avro.ActOneCommand;
import io.renderrelay.avro.RestyleCommand;
import java.net.URI;

/**
 * The paid render provider (Runway through the CometAPI gateway), seen through one boundary that
 * normalises both answer formats and classifies every error once.
 *
 * <p>Submits are never retried by an implementation once the request may have reached the provider:
 * an answer that leaves it open whether a task was created is thrown as {@link
 * ProviderException.Ambiguous}, and the caller decides (the job becomes AMBIGUOUS).
 */
public interface ProviderClient {

  /** POST /runway/pro/video2video; returns the provider task id. */
  String submitRestyle(RestyleCommand command, URI callbackUrl) throws ProviderException;

  /** POST /runway/pro/act_one; returns the provider task id. */
  String submitActOne(ActOneCommand command, URI callbackUrl) throws ProviderException;

  /** POST /runway/feed ("Feed Get Task"), normalised. */
  TaskSnapshot getTask(String taskId) throws ProviderException;
}
