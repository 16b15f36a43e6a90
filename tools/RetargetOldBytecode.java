import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/**
 * Build step of mgmt-cli (run by its pom after the shade, with ASM on the class path): rewrites
 * the class files under the given package folders of a jar that are older than Java 6 (class
 * version 50) as Java 8 class files with stack-map frames. The JVM's class-data archive (AppCDS,
 * which {@code bin/mgmt} makes) cannot hold classes that old, and they are verified by the old,
 * slower verifier: picocli, compiled for Java 5, cost every {@code mgmt} command about 45 ms of
 * its start (docs/benchmarks.md, "Start-up"). The code is unchanged; only the version and the
 * frames are new. A class that cannot be rewritten fails the build. The jar is rewritten aside
 * and renamed over the old one, with {@value #NOTICE} saying which files were changed and how
 * (Apache-2.0, section 4(b), asks that modified files say so).
 *
 * <p>Usage: {@code java -cp asm.jar tools/RetargetOldBytecode.java JAR FOLDER...}
 */
public final class RetargetOldBytecode {

    private static final int JAVA_6 = 50;
    static final String NOTICE = "META-INF/licenses/MODIFIED.txt";

    private RetargetOldBytecode() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: RetargetOldBytecode JAR FOLDER...");
            System.exit(2);
        }
        Path jar = Path.of(args[0]);
        Path aside = jar.resolveSibling(jar.getFileName() + ".retarget.tmp");
        Files.copy(jar, aside, StandardCopyOption.REPLACE_EXISTING);
        try {
            rewrite(jar, aside, List.of(args).subList(1, args.length));
            Files.move(aside, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(aside); // still there only when the rewrite failed
        }
    }

    private static void rewrite(Path jar, Path aside, List<String> folders) throws IOException {
        int rewritten = 0;
        // Frames need the common super class of two types: the jar's own classes, not initialized.
        try (URLClassLoader classes = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
             FileSystem fs = FileSystems.newFileSystem(aside)) {
            for (String folder : folders) {
                Path dir = fs.getPath(folder);
                if (!Files.isDirectory(dir)) {
                    throw new IllegalArgumentException(jar + " has no folder " + folder);
                }
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path p : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                        byte[] old = Files.readAllBytes(p);
                        if (version(old) < JAVA_6) {
                            Files.write(p, retarget(old, classes));
                            rewritten++;
                        }
                    }
                }
            }
            if (rewritten > 0) {
                Path notice = fs.getPath(NOTICE);
                Files.createDirectories(notice.getParent());
                Files.writeString(notice, "The class files under " + String.join("/, ", folders) + "/ in this jar were"
                        + " changed by mgmt's build (tools/RetargetOldBytecode.java in its source): rewritten\n"
                        + "from Java 5 class files as published to Java 8 class files (the class version and"
                        + " stack-map frames; the code is unchanged),\nso that the JVM's class-data archive can"
                        + " hold them.\n");
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static int version(byte[] classFile) {
        return ((classFile[6] & 0xff) << 8) | (classFile[7] & 0xff);
    }

    private static byte[] retarget(byte[] classFile, ClassLoader classes) {
        ClassWriter out = new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
            @Override
            protected ClassLoader getClassLoader() {
                return classes;
            }
        };
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9, out) {
            @Override
            public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
                super.visit(Opcodes.V1_8, access, name, signature, superName, interfaces);
            }
        }, ClassReader.SKIP_FRAMES);
        return out.toByteArray();
    }
}
