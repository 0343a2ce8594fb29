package dev.ssexporter.cli;

import java.lang.System.Logger.Level;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Objects;

/**
 * Makes SIGHUP run a reload instead of ending the JVM (its default for HUP).
 *
 * <p>The JDK has no public API for signals; this uses {@code sun.misc.Signal} from the
 * {@code jdk.unsupported} module, which is exported for exactly this use and is in the jlink
 * runtime ({@code deploy/jlink-modules.txt}). It is reached by reflection because javac flags any
 * direct reference to it as internal proprietary API, a warning no annotation suppresses and
 * {@code -Werror} turns into an error. When the signal cannot be taken over (the JVM runs with
 * {@code -Xrs}, or the module is missing), {@link #install} says so in a WARNING and
 * {@code POST /-/reload} still works.
 *
 * <p>The action runs on the JVM's signal-dispatch thread, one signal at a time per signal; it
 * should not throw.
 */
final class ReloadSignal {
    private static final System.Logger LOG = System.getLogger(ReloadSignal.class.getName());
    static final String SIGNAL = "HUP";

    private ReloadSignal() {}

    /**
     * Runs {@code action} on every SIGHUP from now on.
     *
     * @return whether the handler is installed
     */
    static boolean install(Runnable action) {
        Objects.requireNonNull(action, "action");
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Object signal = signalClass.getConstructor(String.class).newInstance(SIGNAL);
            Object handler = Proxy.newProxyInstance(ReloadSignal.class.getClassLoader(), new Class<?>[] {handlerClass},
                    (proxy, method, args) -> invoke(action, proxy, method, args));
            signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, signal, handler);
            return true;
        } catch (InvocationTargetException e) {
            warn(e.getCause() == null ? e.toString() : e.getCause().getMessage());
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            warn(e.toString());
        }
        return false;
    }

    private static Object invoke(Runnable action, Object proxy, Method method, Object[] args) {
        return switch (method.getName()) {
            case "handle" -> {
                try {
                    action.run();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "the SIGHUP reload failed", e);
                }
                yield null;
            }
            case "equals" -> proxy == args[0];
            case "hashCode" -> System.identityHashCode(proxy);
            case "toString" -> "SIGHUP reload handler";
            default -> throw new UnsupportedOperationException(method.toString());
        };
    }

    private static void warn(String cause) {
        LOG.log(Level.WARNING, "SIGHUP cannot trigger a config reload ({0}); use POST /-/reload instead", cause);
    }
}
