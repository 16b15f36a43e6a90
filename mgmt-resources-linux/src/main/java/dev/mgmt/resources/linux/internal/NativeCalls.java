package dev.mgmt.resources.linux.internal;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Structure;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;

/**
 * Binds a class's {@code native} methods to the C library (JNA's direct mapping), every such
 * class through here, so that JNA's first binding in the process costs less.
 *
 * <p>That first binding initializes JNA's {@code Structure.FFIType}, whose field order JNA reads
 * from its {@code @FieldOrder} annotation, and reading an annotation makes the JDK generate proxy
 * classes for it: the first in a process, 15-25 ms of a short run's critical path, in cold code
 * (docs/benchmarks.md, "Start-up, sixth pass"). JNA looks in its cache of field orders before it
 * reads the annotation, so the order is put there first, under JNA's own lock. The order is
 * libffi's {@code ffi_type}, an ABI that does not change; it goes in only where FFIType declares
 * exactly those fields and nothing is cached for it yet. Anything else (another JNA, a module
 * that does not open it to us) leaves JNA to read its annotation, as without this.
 */
final class NativeCalls {

    /** libffi's {@code ffi_type}: {@code size_t size; unsigned short alignment, type; ffi_type **elements}. */
    static final List<String> FFI_TYPE_FIELDS = List.of("size", "alignment", "type", "elements");

    static final String FFI_TYPE = "com.sun.jna.Structure$FFIType";

    /** Whether the order went in; read by the JVM's class initialization once, before the first binding. */
    static final boolean PRESEEDED = preseed();

    private NativeCalls() {
    }

    /** {@code Native.register(calls, the C library)}. */
    static void bind(Class<?> calls) {
        Native.register(calls, Platform.C_LIBRARY_NAME);
    }

    private static boolean preseed() {
        try {
            Class<?> ffiType = Class.forName(FFI_TYPE, false, Structure.class.getClassLoader());
            if (!Set.copyOf(FFI_TYPE_FIELDS).equals(instanceFields(ffiType))) {
                return false;
            }
            @SuppressWarnings("unchecked")
            Map<Class<?>, List<String>> orders = (Map<Class<?>, List<String>>) staticField("fieldOrder");
            Lock write = ((ReadWriteLock) staticField("cacheStructureLock")).writeLock();
            write.lock();
            try {
                return orders.putIfAbsent(ffiType, FFI_TYPE_FIELDS) == null;
            } finally {
                write.unlock();
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false; // JNA reads its annotation, as it would without this
        }
    }

    /** The public instance fields a class declares. */
    static Set<String> instanceFields(Class<?> c) {
        Set<String> names = new HashSet<>();
        for (Field f : c.getDeclaredFields()) {
            if (Modifier.isPublic(f.getModifiers()) && !Modifier.isStatic(f.getModifiers())) {
                names.add(f.getName());
            }
        }
        return names;
    }

    private static Object staticField(String name) throws ReflectiveOperationException {
        Field f = Structure.class.getDeclaredField(name);
        f.setAccessible(true);
        return f.get(null);
    }
}
