package dev.mgmt.resources.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GraphBuilder.send(from, key).to(to, param)}: a key of another kind than the sender's, a
 * parameter of another kind than the receiver's, and a key and a parameter of different types
 * do not compile.
 */
class SendRecvTypesTest {

    @TempDir
    Path out;

    private List<String> compile(String body) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assumeTrue(javac != null, "this JVM has no Java compiler (a JRE, not a JDK)");
        String src = """
                import dev.mgmt.api.Graph;
                import dev.mgmt.resources.linux.ExecResource;
                import dev.mgmt.resources.linux.FileResource;
                class Snippet {
                    Graph g(ExecResource gen, FileResource out) {
                        return Graph.builder().add(gen, out)%s.build();
                    }
                }
                """.formatted(body);
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///Snippet.java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return src;
            }
        };
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        boolean ok = javac.getTask(new StringWriter(), null, diagnostics,
                List.of("-classpath", System.getProperty("java.class.path"), "-d", out.toString()), null,
                List.of(file)).call();
        return ok ? List.of() : diagnostics.getDiagnostics().stream().map(d -> d.getMessage(Locale.ROOT)).toList();
    }

    @Test
    void keysAndParametersOfOneTypeCompile() {
        assertThat(compile(".send(gen, ExecResource.STDOUT).to(out, FileResource.CONTENT)")).isEmpty();
    }

    @Test
    void anIntegerKeyToAStringParameterDoesNotCompile() {
        assertThat(compile(".send(gen, ExecResource.EXIT_STATUS).to(out, FileResource.CONTENT)"))
                .isNotEmpty().noneMatch(SendRecvTypesTest::unrelated).anyMatch(m -> m.contains("method to"));
    }

    @Test
    void aParameterOfAnotherKindDoesNotCompile() {
        assertThat(compile(".send(out, FileResource.CONTENT_SHA256).to(gen, FileResource.CONTENT)"))
                .isNotEmpty().noneMatch(SendRecvTypesTest::unrelated).anyMatch(m -> m.contains("method to"));
    }

    @Test
    void aKeyOfAnotherKindDoesNotCompile() {
        assertThat(compile(".send(out, ExecResource.STDOUT).to(out, FileResource.CONTENT)"))
                .isNotEmpty().noneMatch(SendRecvTypesTest::unrelated).anyMatch(m -> m.contains("method send"));
        assertThat(compile(".send(gen, FileResource.CONTENT_SHA256).to(out, FileResource.CONTENT)"))
                .isNotEmpty().noneMatch(SendRecvTypesTest::unrelated).anyMatch(m -> m.contains("method send"));
    }

    @Test
    void aKeyOfATypeTheSenderIsCompiles() {
        assertThat(compile(".send(gen, dev.mgmt.api.SendKey.of(dev.mgmt.api.Resource.class, \"x\", String.class))"
                + ".to(out, FileResource.CONTENT)")).isEmpty();
    }

    @Test
    void aKeyMadeForAnotherClassDoesNotCompile() {
        assertThat(compile(".send(gen, dev.mgmt.api.SendKey.<FileResource, String>of(ExecResource.class, \"x\","
                + " String.class)).to(out, FileResource.CONTENT)"))
                .anyMatch(m -> m.contains("ExecResource> cannot be converted to") && m.endsWith("FileResource>"));
    }

    /** An error that is not about the types of the edge (the snippet itself is broken). */
    private static boolean unrelated(String message) {
        return message.contains("cannot find symbol") || message.contains("does not exist");
    }
}
