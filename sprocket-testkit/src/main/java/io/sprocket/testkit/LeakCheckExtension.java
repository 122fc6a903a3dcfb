package io.sprocket.testkit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty reported a buffer leak while it ran. Registered for every test by auto-detection
 * (this jar's {@code META-INF/services} file and {@code junit.jupiter.extensions.autodetection.enabled} in each
 * module's {@code junit-platform.properties}); every module has a {@code LeakCheckActiveTest} asserting
 * {@link #active()}, so the check cannot switch off unnoticed. Installs a leak detector that records reports
 * (PARANOID level), and after each class forces a GC and some tracked allocations so that pending leaks are
 * found, then fails with the leak records.
 */
public final class LeakCheckExtension implements BeforeAllCallback, AfterAllCallback {
    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();
    private static volatile boolean active;

    static {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new ResourceLeakDetectorFactory() {
            @Override
            @SuppressWarnings("deprecation")
            public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                    long maxActive) {
                return new Recording<>(resource, samplingInterval);
            }
        });
    }

    /** Leak reports so far (for tests of the check itself). */
    public static List<String> leaks() {
        return LEAKS;
    }

    /** Whether JUnit has run this extension for a test class in this JVM (the guard tests assert it). */
    public static boolean active() {
        return active;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        active = true;
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        for (int round = 0; round < 3; round++) {
            System.gc();
            Thread.sleep(20); // lets the reference queue fill; not a state wait
            for (int i = 0; i < 64; i++) {
                ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(16);
                b.release();
                ByteBuf u = UnpooledByteBufAllocator.DEFAULT.heapBuffer(16);
                u.release();
            }
        }
        if (!LEAKS.isEmpty()) {
            String all = String.join("\n----\n", LEAKS);
            LEAKS.clear();
            throw new AssertionError("Netty reported buffer leaks during " + context.getDisplayName() + ":\n" + all);
        }
    }

    private static final class Recording<T> extends ResourceLeakDetector<T> {
        @SuppressWarnings("deprecation")
        Recording(Class<T> type, int samplingInterval) {
            super(type, samplingInterval);
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            LEAKS.add("LEAK " + resourceType + records);
            super.reportTracedLeak(resourceType, records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            LEAKS.add("LEAK " + resourceType + " (untraced)");
            super.reportUntracedLeak(resourceType);
        }
    }
}
