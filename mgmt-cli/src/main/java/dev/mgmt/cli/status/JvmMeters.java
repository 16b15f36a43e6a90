package dev.mgmt.cli.status;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import java.util.List;

/**
 * The JVM's own meters on {@code /metrics} (memory, GC, threads, classes, CPU, uptime), as mgmt
 * exports the Go runtime's ({@code go_*}): Micrometer's standard binders, as Spring Boot and most
 * JVM services expose them ({@code jvm_*}, {@code process_*}, {@code system_*}).
 */
public final class JvmMeters {

    private JvmMeters() {
    }

    /** Binds them to {@code registry}; returns what must be closed when the run ends. */
    public static List<AutoCloseable> bind(MeterRegistry registry) {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        return List.of(gc);
    }
}
