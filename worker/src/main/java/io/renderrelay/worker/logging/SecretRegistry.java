package io.renderrelay.worker.logging;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The secret values of this process (API keys, passwords, tokens), registered at startup so that
 * the log encoder can mask them wherever they appear. Values shorter than {@link #MIN_LENGTH} are
 * ignored: masking them would garble ordinary text and they are not credentials.
 */
public final class SecretRegistry {
  /** The shortest value that is masked. */
  public static final int MIN_LENGTH = 4;

  private final Set<String> secrets = ConcurrentHashMap.newKeySet();

  /** Registers one secret value; null, blank and very short values are ignored. */
  public void register(String secret) {
    if (secret != null && !secret.isBlank() && secret.length() >= MIN_LENGTH) {
      secrets.add(secret);
    }
  }

  /** Registers several secret values. */
  public void registerAll(Collection<String> values) {
    values.forEach(this::register);
  }

  /** The registered values, longest first (so a secret containing another is masked whole). */
  List<String> valuesLongestFirst() {
    return secrets.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
  }

  @Override
  public String toString() {
    return "SecretRegistry[" + secrets.size() + " secrets]";
  }
}
