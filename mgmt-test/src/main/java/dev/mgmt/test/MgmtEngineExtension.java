package dev.mgmt.test;

import dev.mgmt.api.Graph;
import dev.mgmt.engine.Engine;
import dev.mgmt.engine.EngineBuilder;
import java.util.Deque;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Hands tests {@link Engine}s and closes each one when its test ends.
 *
 * <pre>{@code
 * class MyTest {
 *     @RegisterExtension
 *     static MgmtEngineExtension mgmt = MgmtEngineExtension.withDefaults(b -> b.parallelism(4));
 *
 *     @Test
 *     void converges() {
 *         Fakes fakes = Fakes.create();
 *         Engine engine = mgmt.start(Graph.builder().add(fakes.resource("a").build()).build());
 *         EngineAssertions.assertSucceededWithin(engine, Duration.ofSeconds(10));
 *     }
 *
 *     @Test
 *     void injected(Engine engine, Fakes fakes) { ... }   // parameters work too
 * }
 * }</pre>
 *
 * <p>Engines made during a test (by {@link #engine()}, {@link #start(Graph)} or as a parameter)
 * are closed, newest first, after that test. Engines made outside a test method, for
 * example in {@code @BeforeAll} or on a thread the test started, are closed after all tests
 * of the class. After each test a virtual-time scheduler left installed is removed, so Reactor's
 * shared schedulers are real again. {@code @ExtendWith(MgmtEngineExtension.class)} works too,
 * with the engine defaults.
 */
public final class MgmtEngineExtension
        implements BeforeEachCallback, AfterEachCallback, AfterAllCallback, ParameterResolver {

    private final UnaryOperator<EngineBuilder> defaults;
    private final Map<String, Deque<Engine>> byTest = new ConcurrentHashMap<>();
    private final ThreadLocal<String> currentTest = new ThreadLocal<>();
    private final Deque<Engine> outsideTests = new ConcurrentLinkedDeque<>();

    /** An extension whose engines have the engine defaults; used by {@code @ExtendWith}. */
    public MgmtEngineExtension() {
        this(UnaryOperator.identity());
    }

    private MgmtEngineExtension(UnaryOperator<EngineBuilder> defaults) {
        this.defaults = Objects.requireNonNull(defaults, "defaults");
    }

    /** An extension whose engines have the engine defaults. */
    public static MgmtEngineExtension create() {
        return new MgmtEngineExtension();
    }

    /** An extension whose engines start from these settings, for example a parallelism cap. */
    public static MgmtEngineExtension withDefaults(UnaryOperator<EngineBuilder> defaults) {
        return new MgmtEngineExtension(defaults);
    }

    /** A new engine with this extension's defaults, not started, closed after the test. */
    public Engine engine() {
        return engine(UnaryOperator.identity());
    }

    /**
     * A new engine with this extension's defaults and then these settings, not started, closed
     * after the test.
     */
    public Engine engine(UnaryOperator<EngineBuilder> settings) {
        String test = currentTest.get();
        return register(test == null ? null : byTest.get(test), settings);
    }

    /** A new engine with this extension's defaults, already running this graph. */
    public Engine start(Graph graph) {
        Engine e = engine();
        e.start(graph);
        return e;
    }

    private Engine register(Deque<Engine> owner, UnaryOperator<EngineBuilder> settings) {
        Engine e = settings.apply(defaults.apply(Engine.builder())).build();
        (owner != null ? owner : outsideTests).push(e);
        return e;
    }

    /** Starts tracking the engines of the test that begins. */
    @Override
    public void beforeEach(ExtensionContext context) {
        byTest.put(context.getUniqueId(), new ConcurrentLinkedDeque<>());
        currentTest.set(context.getUniqueId());
    }

    /** Closes the engines of the test that ended, and removes a leftover virtual-time scheduler. */
    @Override
    public void afterEach(ExtensionContext context) {
        currentTest.remove();
        try {
            closeAll(byTest.remove(context.getUniqueId()));
        } finally {
            if (VirtualTimeScheduler.isFactoryEnabled()) {
                VirtualTimeScheduler.reset();
            }
        }
    }

    /** Closes the engines made outside test methods. */
    @Override
    public void afterAll(ExtensionContext context) {
        closeAll(outsideTests);
    }

    /** Resolves parameters of type {@link Engine} (with the defaults) and {@link Fakes} (fresh). */
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == Engine.class || type == Fakes.class;
    }

    /** A new engine tracked for the current test, or new {@link Fakes}. */
    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (parameter.getParameter().getType() == Fakes.class) {
            return Fakes.create();
        }
        return register(byTest.get(context.getUniqueId()), UnaryOperator.identity());
    }

    private static void closeAll(Deque<Engine> engines) {
        if (engines == null) {
            return;
        }
        RuntimeException failure = null;
        for (Engine e; (e = engines.poll()) != null; ) {
            try {
                e.close();
            } catch (RuntimeException ex) {
                if (failure == null) {
                    failure = ex;
                } else if (ex != failure) {
                    failure.addSuppressed(ex);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
