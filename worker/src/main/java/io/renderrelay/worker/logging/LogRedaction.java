package io.renderrelay.worker.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.Context;
import java.util.regex.Pattern;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Masks secrets in log text: every registered secret value, {@code Bearer}/{@code Basic}
 * credentials and {@code password=}/{@code api_key:}-style assignments. Logback components find the
 * process's instance in their {@link Context} under {@link #CONTEXT_KEY}, installed at startup by
 * {@link #install}.
 */
public final class LogRedaction {
  /** The logback context object key. */
  public static final String CONTEXT_KEY = "render-relay.log-redaction";

  /** What a masked value becomes. */
  public static final String MASK = "[redacted]";

  private static final Pattern AUTH_SCHEME =
      Pattern.compile("(?i)\\b(Bearer|Basic)(\\s+)[A-Za-z0-9._~+/=-]+");
  private static final Pattern ASSIGNMENT =
      Pattern.compile(
          "(?i)\\b(api[_-]?key|apikey|password|passwd|secret|access[_-]?token|secret[_-]?access[_-]?key)"
              + "(\"?\\s*[:=]\\s*\"?)([^\\s\"',;&}]+)");

  private final SecretRegistry secrets;

  public LogRedaction(SecretRegistry secrets) {
    this.secrets = secrets;
  }

  /** The text with every secret masked; null stays null. */
  public String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out = text;
    for (String secret : secrets.valuesLongestFirst()) {
      if (out.contains(secret)) {
        out = out.replace(secret, MASK);
      }
    }
    out = AUTH_SCHEME.matcher(out).replaceAll("$1$2" + MASK);
    return ASSIGNMENT.matcher(out).replaceAll("$1$2" + MASK);
  }

  /** Makes {@code redaction} the one the logback components of {@code context} use. */
  public static void install(Context context, LogRedaction redaction) {
    context.putObject(CONTEXT_KEY, redaction);
  }

  /** Installs into the SLF4J-bound logback context, if logback is the binding. */
  public static boolean installInLogback(LogRedaction redaction) {
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (factory instanceof LoggerContext context) {
      install(context, redaction);
      return true;
    }
    return false;
  }

  /** The instance installed in {@code context}, or one that masks only the built-in patterns. */
  public static LogRedaction of(Context context) {
    Object installed = context == null ? null : context.getObject(CONTEXT_KEY);
    return installed instanceof LogRedaction r ? r : new LogRedaction(new SecretRegistry());
  }
}
