package io.redstart.scripting;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Runs a long command (a script, or EXEC holding scripts) so that it can give the event loop back
 * in the middle and be resumed later on the same thread, through the JDK's one-shot delimited
 * continuations ({@code jdk.internal.vm.Continuation}, the machinery under virtual threads). The
 * package must be exported to us ({@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED}, or
 * the {@code Add-Exports} manifest entry of the server jar); without it {@link #available} is
 * false and long commands run to completion without yielding.
 *
 * <p>Thread: a continuation is started, yielded and resumed on the keyspace thread only.
 */
final class Yielder {
  private static final Object SCOPE;
  private static final MethodHandle NEW;
  private static final MethodHandle RUN;
  private static final MethodHandle YIELD;
  private static final MethodHandle IS_DONE;
  private static final String UNAVAILABLE;

  static {
    Object scope = null;
    MethodHandle create = null;
    MethodHandle run = null;
    MethodHandle yield = null;
    MethodHandle isDone = null;
    String why = null;
    try {
      Class<?> scopeClass = Class.forName("jdk.internal.vm.ContinuationScope");
      Class<?> contClass = Class.forName("jdk.internal.vm.Continuation");
      MethodHandles.Lookup l = MethodHandles.lookup();
      scope =
          l.findConstructor(scopeClass, MethodType.methodType(void.class, String.class))
              .invoke("redstart-scripts");
      create =
          l.findConstructor(
                  contClass, MethodType.methodType(void.class, scopeClass, Runnable.class))
              .asType(MethodType.methodType(Object.class, Object.class, Runnable.class));
      run =
          l.findVirtual(contClass, "run", MethodType.methodType(void.class))
              .asType(MethodType.methodType(void.class, Object.class));
      yield =
          l.findStatic(contClass, "yield", MethodType.methodType(boolean.class, scopeClass))
              .asType(MethodType.methodType(boolean.class, Object.class));
      isDone =
          l.findVirtual(contClass, "isDone", MethodType.methodType(boolean.class))
              .asType(MethodType.methodType(boolean.class, Object.class));
    } catch (Throwable t) {
      why = t.toString();
      scope = null;
    }
    SCOPE = scope;
    NEW = create;
    RUN = run;
    YIELD = yield;
    IS_DONE = isDone;
    UNAVAILABLE = why;
  }

  private Yielder() {}

  /** Whether continuations can be used in this JVM. */
  static boolean available() {
    return SCOPE != null;
  }

  /** Why continuations cannot be used, or null. */
  static String unavailableReason() {
    return UNAVAILABLE;
  }

  /** A new continuation running {@code body}; not started. */
  static Object create(Runnable body) {
    try {
      return (Object) NEW.invokeExact(SCOPE, body);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /** Runs or resumes {@code k} until it yields or ends; its exceptions propagate. */
  static void run(Object k) {
    try {
      RUN.invokeExact(k);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  static boolean isDone(Object k) {
    try {
      return (boolean) IS_DONE.invokeExact(k);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /**
   * Suspends the running continuation; returns when it is resumed. False when it could not yield
   * (pinned by a native frame): the caller just goes on.
   */
  static boolean yieldNow() {
    try {
      return (boolean) YIELD.invokeExact(SCOPE);
    } catch (IllegalStateException e) {
      return false;
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }
}
