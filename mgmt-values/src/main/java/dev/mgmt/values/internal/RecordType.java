package dev.mgmt.values.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.UndeclaredThrowableException;
import java.lang.reflect.WildcardType;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A record type's components, in declaration order, each with an accessor that works from this
 * module: a record that is not public (a nested record in a test, say) is read through {@link
 * Method#trySetAccessible}, which on the class path always succeeds; in a named module its
 * package must be open to this one.
 */
final class RecordType {

    /** One component: its name, declared type and accessor. */
    record Component(RecordType owner, String name, Class<?> type, Type genericType, MethodHandle accessor) {

        Object get(Object record) {
            try {
                return (Object) accessor.invokeExact(record);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new UndeclaredThrowableException(t);
            }
        }

        /** The declared type as in the record's source: {@code List<Host>}, not {@code java.util.List<a.b.Host>}. */
        String typeName() {
            return simple(genericType);
        }

        private static String simple(Type t) {
            if (t instanceof Class<?> c) {
                return c.getSimpleName();
            }
            if (t instanceof ParameterizedType p) {
                return simple(p.getRawType()) + Arrays.stream(p.getActualTypeArguments())
                        .map(Component::simple).collect(Collectors.joining(", ", "<", ">"));
            }
            if (t instanceof WildcardType w) {
                return w.getLowerBounds().length > 0 ? "? super " + simple(w.getLowerBounds()[0])
                        : w.getUpperBounds()[0] == Object.class ? "?" : "? extends " + simple(w.getUpperBounds()[0]);
            }
            if (t instanceof GenericArrayType a) {
                return simple(a.getGenericComponentType()) + "[]";
            }
            return t.getTypeName();
        }
    }

    private final Class<?> type;
    private final Map<String, Component> components = new LinkedHashMap<>();

    private RecordType(Class<?> type) {
        this.type = type;
    }

    /**
     * The components of {@code type}.
     *
     * @throws IllegalArgumentException when it is no record, or a record this module may not read
     */
    static RecordType of(Class<?> type) {
        if (!type.isRecord()) {
            throw new IllegalArgumentException(type.getSimpleName() + " is not a record: a template's values are a record's components");
        }
        RecordType t = new RecordType(type);
        for (RecordComponent rc : type.getRecordComponents()) {
            Method m = rc.getAccessor();
            if (!m.trySetAccessible()) {
                throw new IllegalArgumentException("the record " + t.name() + " cannot be read by mgmt-values: make it "
                        + "public in an exported package, or open its package to dev.mgmt.values");
            }
            MethodHandle h;
            try {
                h = MethodHandles.lookup().unreflect(m).asType(MethodType.methodType(Object.class, Object.class));
            } catch (IllegalAccessException e) {
                throw new IllegalArgumentException("the record " + t.name() + " cannot be read by mgmt-values: " + e.getMessage(), e);
            }
            t.components.put(rc.getName(), new Component(t, rc.getName(), rc.getType(), rc.getGenericType(), h));
        }
        return t;
    }

    /** The record's simple name. */
    String name() {
        return type.getSimpleName();
    }

    List<String> names() {
        return List.copyOf(components.keySet());
    }

    Optional<Component> component(String name) {
        return Optional.ofNullable(components.get(name));
    }

    /** {@code Host (name, address)}, or {@code Host (no components)}. */
    String describe() {
        return name() + " (" + (components.isEmpty() ? "no components" : String.join(", ", components.keySet())) + ")";
    }
}
