package io.renderrelay.client.validation;

import io.renderrelay.client.validation.Violation.Code;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * The rules of an input URL: present, not too long, absolute and hierarchical, an allowed scheme,
 * no user info, and a host that is well formed and, unless allowed, not internal. Never resolves
 * the host.
 */
final class UrlCheck {
  private UrlCheck() {}

  /** Adds to {@code out} what is wrong with the URL {@code value} of {@code field}. */
  static void check(ValidationRules rules, String field, String value, List<Violation> out) {
    if (value == null || value.isBlank()) {
      out.add(new Violation(field, Code.MISSING, "a URL is required"));
      return;
    }
    if (value.length() > rules.maxUrlLength()) {
      out.add(Violation.tooLong(field, value.length(), rules.maxUrlLength()));
      return;
    }
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      out.add(new Violation(field, Code.BAD_URL, "not a valid URI: " + e.getReason()));
      return;
    }
    if (!uri.isAbsolute()) {
      out.add(new Violation(field, Code.BAD_URL, "must be an absolute URL"));
      return;
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (!rules.allowedSchemes().contains(scheme)) {
      out.add(
          new Violation(
              field,
              Code.BAD_SCHEME,
              "scheme "
                  + Violation.quote(scheme)
                  + " not allowed, use one of "
                  + rules.allowedSchemes()));
      return;
    }
    if (uri.isOpaque()) {
      out.add(new Violation(field, Code.BAD_URL, "must be a hierarchical URL (scheme://host/...)"));
      return;
    }
    if (uri.getRawUserInfo() != null) {
      out.add(new Violation(field, Code.BAD_URL, "must not carry user info (credentials)"));
      return;
    }
    if (uri.getHost() == null) {
      out.add(new Violation(field, Code.BAD_URL, "has no valid host"));
      return;
    }
    HostPolicy.Verdict verdict = HostPolicy.classify(uri.getHost());
    if (verdict.kind() == HostPolicy.Kind.MALFORMED) {
      out.add(new Violation(field, Code.BAD_URL, "host: " + verdict.reason()));
    } else if (verdict.kind() == HostPolicy.Kind.INTERNAL && !rules.allowPrivateHosts()) {
      out.add(
          new Violation(
              field,
              Code.PRIVATE_HOST,
              "host "
                  + Violation.quote(uri.getHost())
                  + " is internal ("
                  + verdict.reason()
                  + ")"));
    }
  }
}
