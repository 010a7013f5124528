package io.renderrelay.worker.lookup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;

/**
 * Takes the credentials out of the URLs of a job answered over HTTP: an input URL may be signed (a
 * presigned S3 URL carries its signature and key id in the query, others a user:password), and the
 * management port answers without authentication. The query and user info of every http(s) URL in
 * the state (command fields and metadata) become {@value #MASK}; host and path stay, which is what
 * support needs. {@code render-relay jobs show} (with Kafka credentials) shows them whole.
 */
final class SignedUrls {

  static final String MASK = "[redacted]";

  private SignedUrls() {}

  /** {@code node} with each URL's query and user info masked, in place; returns it. */
  static JsonNode strip(JsonNode node) {
    if (node instanceof ObjectNode o) {
      for (Map.Entry<String, JsonNode> e : o.properties()) {
        if (e.getValue().isTextual()) {
          e.setValue(TextNode.valueOf(mask(e.getValue().asText())));
        } else {
          strip(e.getValue());
        }
      }
    } else if (node instanceof ArrayNode a) {
      for (int i = 0; i < a.size(); i++) {
        if (a.get(i).isTextual()) {
          a.set(i, TextNode.valueOf(mask(a.get(i).asText())));
        } else {
          strip(a.get(i));
        }
      }
    }
    return node;
  }

  static String mask(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
      return text;
    }
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      return text.substring(0, text.indexOf("//") + 2) + MASK; // not parsable: keep nothing
    }
    if (uri.getRawQuery() == null && uri.getRawUserInfo() == null && uri.getRawFragment() == null) {
      return text;
    }
    String host = uri.getRawAuthority() == null ? "" : uri.getRawAuthority();
    int at = host.lastIndexOf('@');
    StringBuilder out = new StringBuilder(uri.getScheme()).append("://");
    if (at >= 0) {
      out.append(MASK).append('@');
      host = host.substring(at + 1);
    }
    out.append(host).append(uri.getRawPath() == null ? "" : uri.getRawPath());
    if (uri.getRawQuery() != null) {
      out.append('?').append(MASK);
    }
    return out.toString();
  }
}
