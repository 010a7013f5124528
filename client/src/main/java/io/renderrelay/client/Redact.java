package io.renderrelay.client;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Hides secrets in strings meant for logs and {@code toString()}. */
final class Redact {

  private static final Pattern USER_INFO = Pattern.compile("(?<=://)[^/@\\s,]*@");
  private static final String[] SECRET_WORDS = {
    "password", "secret", "token", "jaas", "credential", "key"
  };

  private Redact() {}

  /** Replaces the user info of every URL in a (comma-separated) string with {@code ***@}. */
  static String urls(String text) {
    return USER_INFO.matcher(text).replaceAll("***@");
  }

  /** Copies client properties, masking the values of keys that look like secrets. */
  static Map<String, String> props(Map<String, String> props) {
    Map<String, String> out = new TreeMap<>();
    props.forEach((k, v) -> out.put(k, isSecret(k) ? "***" : v));
    return out;
  }

  private static boolean isSecret(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    if (k.equals("key.serializer") || k.equals("key.deserializer")) {
      return false;
    }
    for (String w : SECRET_WORDS) {
      if (k.contains(w)) {
        return true;
      }
    }
    return false;
  }
}
