package io.renderrelay.e2e.bench;

/** The JVM and machine a bench run measures on, as the results name them. */
final class Host {
  private Host() {}

  /** Vendor and runtime version of this JVM. */
  static String jdk() {
    return System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version");
  }

  /** Processors available to this JVM. */
  static int cores() {
    return Runtime.getRuntime().availableProcessors();
  }
}
