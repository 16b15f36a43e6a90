package dev.mgmt.spring.internal;

import dev.mgmt.spring.MgmtStartupException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Says a {@link MgmtStartupException} as Boot says a failed start it understands: Description
 * and Action, with no stack trace. Registered in {@code META-INF/spring.factories}.
 */
public final class MgmtFailureAnalyzer extends AbstractFailureAnalyzer<MgmtStartupException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, MgmtStartupException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
    }
}
