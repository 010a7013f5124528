package io.renderrelay.worker.storage;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/** Counts S3 requests by operation (request class name without "Request"). */
final class RequestCounter implements ExecutionInterceptor {
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  private final Map<String, Map<String, java.util.List<String>>> lastHeaders =
      new ConcurrentHashMap<>();
  private final Map<String, software.amazon.awssdk.core.SdkRequest> lastRequests =
      new ConcurrentHashMap<>();

  @Override
  public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
    String op = context.request().getClass().getSimpleName().replace("Request", "");
    counts.computeIfAbsent(op, k -> new AtomicInteger()).incrementAndGet();
    lastRequests.put(op, context.request());
  }

  /** The last request of this operation as the caller built it. */
  software.amazon.awssdk.core.SdkRequest lastRequest(String op) {
    return lastRequests.get(op);
  }

  @Override
  public void beforeTransmission(
      Context.BeforeTransmission context, ExecutionAttributes attributes) {
    String op = context.request().getClass().getSimpleName().replace("Request", "");
    lastHeaders.put(op, context.httpRequest().headers());
  }

  /** The HTTP headers of the last request of this operation as sent (after signing). */
  Map<String, java.util.List<String>> lastHeaders(String op) {
    return lastHeaders.getOrDefault(op, Map.of());
  }

  /** The same headers by lower-case name, each name's values joined by commas. */
  Map<String, String> lastHeadersLowerCase(String op) {
    Map<String, String> lower = new java.util.HashMap<>();
    lastHeaders(op)
        .forEach((k, v) -> lower.put(k.toLowerCase(java.util.Locale.ROOT), String.join(",", v)));
    return lower;
  }

  int count(String op) {
    return counts.getOrDefault(op, new AtomicInteger()).get();
  }

  /** All writes: PutObject, UploadPart, CopyObject, CompleteMultipartUpload. */
  int writes() {
    return count("PutObject")
        + count("UploadPart")
        + count("CopyObject")
        + count("CompleteMultipartUpload");
  }

  void reset() {
    counts.clear();
    lastHeaders.clear();
  }
}
