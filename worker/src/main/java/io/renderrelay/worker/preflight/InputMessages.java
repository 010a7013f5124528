package io.renderrelay.worker.preflight;

import io.renderrelay.worker.storage.CopyException;

/**
 * Words the shared downloader's refusals (written for provider outputs) for an input. Only whole
 * phrases are replaced, never a host name; the URL itself never appears (it may be signed).
 */
final class InputMessages {

  private InputMessages() {}

  static String reword(CopyException e) {
    String m = String.valueOf(e.getMessage());
    if (m.contains("redirected more than 0 times")) {
      return "the URL redirects"
          + m.substring(m.lastIndexOf(" ("))
          + "; the provider wants sources without redirects (preflight.follow-redirects)";
    }
    return m.replace("output URL", "input URL")
        .replace("output download", "input download")
        .replace("the output is gone or its link expired", "the input is missing or not readable")
        .replace("output redirect", "input redirect")
        .replace("output at ", "input at ")
        .replace("allowed output hosts", "allowed hosts");
  }
}
