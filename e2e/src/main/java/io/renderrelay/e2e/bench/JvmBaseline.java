package io.renderrelay.e2e.bench;

/** The startup reference: a JVM on the same classpath that only prints {@code READY baseline}. */
public final class JvmBaseline {
  private JvmBaseline() {}

  public static void main(String[] args) {
    System.out.println("READY baseline");
  }
}
