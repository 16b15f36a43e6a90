package dev.mgmt.cli;

import dev.mgmt.cluster.ClusterNode;
import dev.mgmt.cluster.ClusterTls;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The cluster's TLS and secret flags, for every command that joins a cluster. Secrets come
 * from files or the environment, never from the command line, where {@code ps} shows them.
 */
final class ClusterSecurityOptions {

    static final String KEYSTORE_PASSWORD_ENV = "MGMT_TLS_KEYSTORE_PASSWORD";
    static final String TRUSTSTORE_PASSWORD_ENV = "MGMT_TLS_TRUSTSTORE_PASSWORD";
    static final String SECRET_ENV = "MGMT_CLUSTER_SECRET";

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--tls-keystore", paramLabel = "FILE",
            description = "This host's key and CA-signed certificate (PKCS12 or JKS): TLS on all cluster traffic. "
                    + "Needs --tls-truststore.")
    Path keyStore;

    @Option(names = "--tls-truststore", paramLabel = "FILE",
            description = "The CA certificates whose hosts may join (PKCS12 or JKS).")
    Path trustStore;

    @Option(names = "--tls-keystore-password-file", paramLabel = "FILE",
            description = "The keystore's password (default: $" + KEYSTORE_PASSWORD_ENV + ").")
    Path keyStorePasswordFile;

    @Option(names = "--tls-truststore-password-file", paramLabel = "FILE",
            description = "The truststore's password (default: $" + TRUSTSTORE_PASSWORD_ENV + ").")
    Path trustStorePasswordFile;

    @Option(names = "--cluster-secret-file", paramLabel = "FILE",
            description = "A secret every host of the cluster shares (default: $" + SECRET_ENV + "); "
                    + "hosts with another secret cannot join.")
    Path secretFile;

    @Option(names = "--cluster-admin", paramLabel = "NAME",
            description = "With TLS: a certificate name (CN or DNS name) accepted as an admin, who may set the ideal "
                    + "cluster size and other hosts' volunteer entries; repeat for more. Certificates with the subject "
                    + "OU=mgmt-admin are admins anyway. Give every host the same list.")
    List<String> admins = new java.util.ArrayList<>();

    /** The command line a bad flag is said against when picocli did not read these (see {@link PlainRunFlags}). */
    Supplier<CommandLine> commandLine;

    /** The environment; replaceable for tests. */
    UnaryOperator<String> env = System::getenv;

    /**
     * Sets TLS and the secret on {@code node} when given.
     *
     * @throws ParameterException one line naming the flag and the problem; picocli exits 2
     */
    ClusterNode.Builder applyTo(ClusterNode.Builder node) {
        if (keyStore != null || trustStore != null) {
            node.tls(tls());
        } else if (keyStorePasswordFile != null || trustStorePasswordFile != null) {
            throw bad("a TLS password file was given without --tls-keystore and --tls-truststore");
        }
        String secret = secretFile != null ? read("--cluster-secret-file", secretFile) : env.apply(SECRET_ENV);
        if (secret != null) {
            if (secret.isEmpty()) {
                throw bad(secretFile != null ? "--cluster-secret-file " + secretFile + " is empty"
                        : "$" + SECRET_ENV + " is set but empty");
            }
            if (keyStore == null) {
                throw bad((secretFile != null ? "--cluster-secret-file" : "$" + SECRET_ENV) + " needs "
                        + "--tls-keystore and --tls-truststore: without TLS the secret's handshake tag goes in clear "
                        + "to any seed address; mgmt-examples/make-certs.sh makes the certificates");
            }
            node.clusterSecret(secret);
        }
        if (!admins.isEmpty()) {
            if (keyStore == null) {
                throw bad("--cluster-admin needs TLS (--tls-keystore): without certificates there is no identity");
            }
            node.admins(admins);
        }
        return node;
    }

    /**
     * The name in the {@code --tls-keystore} certificate, when TLS is given: a host's default
     * {@code --hostname}.
     */
    Optional<String> certificateName() {
        if (keyStore == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(tls().certificateName());
        } catch (RuntimeException e) {
            // A keystore that cannot be read is reported when the cluster starts, naming the file.
            return Optional.empty();
        }
    }

    private ClusterTls tls() {
        if (keyStore == null) {
            throw bad("--tls-truststore needs --tls-keystore (TLS is mutual: every host presents a certificate)");
        }
        if (trustStore == null) {
            throw bad("--tls-keystore needs --tls-truststore (the CA certificates of the other hosts)");
        }
        try {
            return ClusterTls.builder()
                    .keyStore(keyStore)
                    .keyStorePassword(password("--tls-keystore", keyStorePasswordFile, "--tls-keystore-password-file",
                            KEYSTORE_PASSWORD_ENV))
                    .trustStore(trustStore)
                    .trustStorePassword(password("--tls-truststore", trustStorePasswordFile,
                            "--tls-truststore-password-file", TRUSTSTORE_PASSWORD_ENV))
                    .build();
        } catch (IllegalArgumentException e) {
            throw bad(Messages.of(e));
        }
    }

    private String password(String store, Path file, String fileFlag, String envName) {
        if (file != null) {
            return read(fileFlag, file);
        }
        String fromEnv = env.apply(envName);
        if (fromEnv == null) {
            throw bad(store + " needs a password: " + fileFlag + " FILE or $" + envName);
        }
        return fromEnv;
    }

    /**
     * The file's text without its final line break (editors and {@code echo} add one). A file
     * that others than its owner may read or write is refused ({@link SecretFiles}).
     */
    private String read(String flag, Path file) {
        try {
            String loose = SecretFiles.looseness(file);
            if (loose != null) {
                throw bad(flag + " " + file + ": " + loose);
            }
            String text = Files.readString(file);
            return text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                    : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        } catch (NoSuchFileException e) {
            throw bad(flag + " " + file + ": no such file");
        } catch (AccessDeniedException e) {
            throw bad(flag + " " + file + ": permission denied");
        } catch (IOException e) {
            throw bad(flag + " " + file + ": cannot read it: " + Messages.of(e));
        }
    }

    private ParameterException bad(String message) {
        return new ParameterException(spec != null ? spec.commandLine() : commandLine.get(), message);
    }
}
