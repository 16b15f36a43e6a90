package dev.mgmt.resources.linux.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Structure;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link NativeCalls} puts JNA's {@code FFIType} field order in JNA's cache before the first
 * binding: the order must be the one the shipped JNA's annotation says, the annotation must then
 * not be read (no proxy class made), and JNA must work the same either way.
 */
class NativeCallsTest {

    @TempDir
    Path tmp;

    @Test
    void theOrderIsTheOneTheShippedJnaAnnotates() throws Exception {
        Class<?> ffiType = Class.forName(NativeCalls.FFI_TYPE, false, Structure.class.getClassLoader());
        Structure.FieldOrder order = ffiType.getAnnotation(Structure.FieldOrder.class);
        assertThat(order).as("JNA's FFIType still names its order with @FieldOrder").isNotNull();
        assertThat(Arrays.asList(order.value())).isEqualTo(NativeCalls.FFI_TYPE_FIELDS);
        assertThat(NativeCalls.instanceFields(ffiType)).containsExactlyInAnyOrderElementsOf(NativeCalls.FFI_TYPE_FIELDS);
    }

    /** In JVMs of their own: which test ran JNA first in this one is up to the order of tests. */
    @Test
    void aFreshProcessBindsWithoutReadingTheAnnotation() throws Exception {
        List<String> out = child(FirstBinding.class);
        assertThat(out).contains("preseeded=true", "stat of / is a directory=true");
        assertThat(out).as("the JDK made no proxy class, so JNA read no annotation")
                .noneMatch(line -> line.contains("$Proxy"));
    }

    @Test
    void whenJnaReadItsAnnotationFirstItsOrderStaysAndJnaWorks() throws Exception {
        List<String> out = child(JnaFirst.class);
        assertThat(out).contains("preseeded=false", "JNA's own order kept=true", "stat of / is a directory=true");
    }

    private List<String> child(Class<?> main) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = tmp.resolve(main.getSimpleName() + ".log");
        Process p = new ProcessBuilder(java, "-Xlog:class+load=info", "-cp", System.getProperty("java.class.path"),
                main.getName()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        p.getOutputStream().close();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
        }
        List<String> lines = Files.readAllLines(log);
        assertThat(p.isAlive()).as("the child ended within a minute").isFalse();
        assertThat(p.exitValue()).as("%s", lines).isZero();
        return lines;
    }

    /** A process's first binding, through {@link NativeCalls}, as every binding of ours goes. */
    public static final class FirstBinding {
        public static void main(String[] args) throws Exception {
            FileHandle.warmUp();
            System.out.println("preseeded=" + NativeCalls.PRESEEDED);
            try (FileHandle h = FileHandle.open(Path.of("/"))) {
                System.out.println("stat of / is a directory=" + "directory".equals(h.stat().type()));
            }
        }
    }

    /** JNA's structures used before any binding of ours, so that JNA read its annotation itself. */
    public static final class JnaFirst {
        public static void main(String[] args) throws Exception {
            Class<?> ffiType = Class.forName(NativeCalls.FFI_TYPE, true, Structure.class.getClassLoader());
            FileHandle.warmUp();
            System.out.println("preseeded=" + NativeCalls.PRESEEDED);
            Field f = Structure.class.getDeclaredField("fieldOrder");
            f.setAccessible(true);
            Object order = ((Map<?, ?>) f.get(null)).get(ffiType);
            System.out.println("JNA's own order kept=" + (order != null && order != NativeCalls.FFI_TYPE_FIELDS));
            try (FileHandle h = FileHandle.open(Path.of("/"))) {
                System.out.println("stat of / is a directory=" + "directory".equals(h.stat().type()));
            }
        }
    }
}
