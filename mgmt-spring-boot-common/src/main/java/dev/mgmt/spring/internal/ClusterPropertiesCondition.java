package dev.mgmt.spring.internal;

import java.util.Optional;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when any {@code mgmt.cluster.*} property is set, as {@code mgmt run} is a cluster host
 * when any cluster flag is given. Reads only the environment: no cluster class is loaded.
 */
public final class ClusterPropertiesCondition extends SpringBootCondition {

    private static final ConfigurationPropertyName PREFIX = ConfigurationPropertyName.of("mgmt.cluster");

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Optional<String> set = firstSet(context.getEnvironment());
        return set.map(p -> ConditionOutcome.match(p + " is set"))
                .orElseGet(() -> ConditionOutcome.noMatch("no mgmt.cluster.* property is set"));
    }

    /** The first {@code mgmt.cluster.*} property set, as the user would write it, if any. */
    public static Optional<String> firstSet(Environment environment) {
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (source instanceof IterableConfigurationPropertySource iterable) {
                Optional<String> name = iterable.stream().filter(PREFIX::isAncestorOf)
                        .map(ConfigurationPropertyName::toString).findFirst();
                if (name.isPresent()) {
                    return name;
                }
            } else if (source.containsDescendantOf(PREFIX) == ConfigurationPropertyState.PRESENT) {
                return Optional.of("a mgmt.cluster property");
            }
        }
        return Optional.empty();
    }
}
