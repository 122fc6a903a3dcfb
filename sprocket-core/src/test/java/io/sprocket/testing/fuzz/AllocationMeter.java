package io.sprocket.testing.fuzz;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;

/**
 * Heap bytes allocated by the calling thread ({@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}),
 * to hold a parser to an allocation bound tied to the bytes it was given: a decoder that allocates for a length it
 * was told rather than for bytes it received fails the bound. {@code EmbeddedChannel} runs the pipeline on the
 * calling thread, so this sees all of it.
 *
 * <p>Reached by reflection: {@code com.sun.management} is in {@code jdk.management}, which module
 * {@code io.sprocket} (the tests are patched into it) does not read, and reflection needs no read edge.
 */
public final class AllocationMeter {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final Method ALLOCATED;

    static {
        try {
            Class<?> sun = Class.forName("com.sun.management.ThreadMXBean");
            if (!sun.isInstance(THREADS)) {
                throw new IllegalStateException("this JVM's ThreadMXBean does not count allocated bytes");
            }
            ALLOCATED = sun.getMethod("getCurrentThreadAllocatedBytes");
            Method enable = sun.getMethod("setThreadAllocatedMemoryEnabled", boolean.class);
            enable.invoke(THREADS, true);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private AllocationMeter() {
    }

    /** Heap bytes the calling thread has allocated since it started. */
    public static long allocated() {
        try {
            return (Long) ALLOCATED.invoke(THREADS);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
