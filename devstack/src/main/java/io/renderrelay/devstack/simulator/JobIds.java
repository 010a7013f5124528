package io.renderrelay.devstack.simulator;

import java.net.URI;

/**
 * Attributes a submission to a job. The worker's callback URL has the form {@code
 * <base>/callbacks/<jobId>/<token>}: the job id is the path segment right after {@code
 * /callbacks/}. When the URL does not match that pattern the whole callback_url string is the key,
 * so that every distinct callback URL still counts separately.
 */
final class JobIds {
  private static final String MARKER = "/callbacks/";

  private JobIds() {}

  static String fromCallbackUrl(String callbackUrl) {
    String path;
    try {
      path = URI.create(callbackUrl).getRawPath();
    } catch (IllegalArgumentException e) {
      path = null;
    }
    if (path == null) {
      return callbackUrl;
    }
    int at = path.indexOf(MARKER);
    if (at < 0) {
      return callbackUrl;
    }
    String rest = path.substring(at + MARKER.length());
    int slash = rest.indexOf('/');
    String segment = slash < 0 ? rest : rest.substring(0, slash);
    return segment.isEmpty() ? callbackUrl : segment;
  }
}
