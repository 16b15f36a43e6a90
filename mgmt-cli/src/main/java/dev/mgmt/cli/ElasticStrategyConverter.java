package dev.mgmt.cli;

import dev.mgmt.cluster.ElasticStrategy;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code --elastic-strategy} in lower case, as the docs spell it: {@code replace}, {@code add}, {@code prune}. */
final class ElasticStrategyConverter implements ITypeConverter<ElasticStrategy> {

    @Override
    public ElasticStrategy convert(String value) {
        for (ElasticStrategy s : ElasticStrategy.values()) {
            if (s.name().equalsIgnoreCase(value.trim())) {
                return s;
            }
        }
        throw new TypeConversionException("'" + value + "' is not one of " + names());
    }

    static String name(ElasticStrategy s) {
        return s.name().toLowerCase(Locale.ROOT);
    }

    private static String names() {
        return Arrays.stream(ElasticStrategy.values()).map(ElasticStrategyConverter::name)
                .collect(Collectors.joining(", "));
    }
}
