package io.renderrelay.worker.app;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;

/**
 * Runs an action on SIGINT or SIGTERM instead of letting the JVM exit (so {@link Main} can drain,
 * close everything and exit 0). Uses {@code sun.misc.Signal} (module jdk.unsupported) reflectively,
 * like Kafka's own signal logging, to keep the build free of proprietary-API warnings.
 */
final class StopSignals {
  private StopSignals() {}

  /**
   * Installs {@code action} for INT and TERM; returns false if the JVM does not offer signal
   * handling (the caller then relies on a shutdown hook). A signal the process inherited as ignored
   * (e.g. SIGINT of a background job of a non-interactive shell) stays ignored.
   */
  static boolean onStop(Runnable action) {
    try {
      Class<?> signalClass = Class.forName("sun.misc.Signal");
      Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
      InvocationHandler invocation = (proxy, method, args) -> dispatch(action, proxy, method, args);
      Object handler =
          Proxy.newProxyInstance(
              StopSignals.class.getClassLoader(), new Class<?>[] {handlerClass}, invocation);
      Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
      for (String name : List.of("INT", "TERM")) {
        handle.invoke(null, signalClass.getConstructor(String.class).newInstance(name), handler);
      }
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }

  private static Object dispatch(Runnable action, Object proxy, Method method, Object[] args) {
    return switch (method.getName()) {
      case "handle" -> {
        action.run();
        yield null;
      }
      case "hashCode" -> System.identityHashCode(proxy);
      case "equals" -> proxy == args[0];
      case "toString" -> "worker-stop-signal-handler";
      default -> null;
    };
  }
}
