package dev.mgmt.examples.spring;

import dev.mgmt.api.Graph;
import dev.mgmt.resources.linux.FileResource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A web service that manages its own config file and cache directory with mgmt: the graph bean
 * below is all it takes with mgmt-spring-boot-starter. Edit or delete the file while it runs and
 * it is back at once; {@code /actuator/health} shows the {@code mgmt} component.
 *
 * <pre>
 * mvn -q -pl mgmt-examples-spring -am compile exec:java   # then: curl localhost:8080/config
 * </pre>
 */
@SpringBootApplication
@RestController
public class ConfigServiceApplication {

    static final String CONFIG = "greeting=hello from a managed file\n";

    private final Path home;

    public ConfigServiceApplication(@Value("${app.home}") Path home) {
        this.home = home;
    }

    public static void main(String[] args) {
        SpringApplication.run(ConfigServiceApplication.class, args);
    }

    /** What the service keeps in place: its home, its config file and its cache directory. */
    @Bean
    Graph appGraph() {
        return Graph.builder("config-service")
                .add(FileResource.directory(home + "/"))
                .add(FileResource.builder("config").path(home.resolve("app.properties").toString())
                        .content(CONFIG).mode("0644").build())
                .add(FileResource.builder("cache").path(home.resolve("cache") + "/").mode("0750").build())
                .build();
    }

    /** The config file as the service reads it now. */
    @GetMapping("/config")
    String config() throws IOException {
        return Files.readString(home.resolve("app.properties"));
    }
}
