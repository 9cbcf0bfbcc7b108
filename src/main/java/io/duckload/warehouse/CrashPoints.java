package io.duckload.warehouse;

/**
 * Test hook: halts the JVM, as a SIGKILL would, at the named point ({@code in-transaction}, {@code after-commit})
 * given by the system property {@code duckload-test.halt-at} (not {@code duckload.}: that root is validated config).
 * Without the property it does nothing; CrashIT uses it so that the kills it must prove happened do happen.
 */
public final class CrashPoints {

    private static final String PROPERTY = "duckload-test.halt-at";

    private CrashPoints() {
    }

    public static void reached(String point) {
        // Read at each point, not into a static: a native executable initializes this class at build time.
        if (point.equals(System.getProperty(PROPERTY))) {
            // Printed before the halt so the test can tell this kill from a failed start; halt runs no hooks.
            System.out.println("CrashPoints: halting at " + point);
            System.out.flush();
            Runtime.getRuntime().halt(137);
        }
    }
}
