package dev.mgmt.resources.linux.internal;

/**
 * The numbers of PackageKit's D-Bus API that this backend uses (its {@code pk-enum.h}): filter
 * and transaction-flag bits, package info values, exit values and error names.
 */
final class PkEnums {

    private PkEnums() {
    }

    // Filters: bit (1 << value) of PkFilterEnum.
    static final long FILTER_NONE = 1L << 1;
    static final long FILTER_INSTALLED = 1L << 2;
    static final long FILTER_NOT_INSTALLED = 1L << 3;
    static final long FILTER_FREE = 1L << 8;
    static final long FILTER_SUPPORTED = 1L << 12;
    static final long FILTER_NEWEST = 1L << 16;
    static final long FILTER_ARCH = 1L << 18;

    // Transaction flags: bit (1 << value) of PkTransactionFlagEnum.
    static final long FLAG_ONLY_TRUSTED = 1L << 1;
    static final long FLAG_ALLOW_DOWNGRADE = 1L << 6;

    // PkInfoEnum values, as in the Package signal.
    static final int INFO_INSTALLED = 1;
    static final int INFO_AVAILABLE = 2;
    static final int INFO_UPDATING = 11;
    static final int INFO_INSTALLING = 12;
    static final int INFO_REMOVING = 13;
    static final int INFO_CLEANUP = 14;
    static final int INFO_OBSOLETING = 15;
    static final int INFO_REINSTALLING = 19;
    static final int INFO_DOWNGRADING = 20;

    // PkExitEnum values, as in the Finished signal.
    static final int EXIT_SUCCESS = 1;

    private static final String[] EXITS = {"unknown", "success", "failed", "cancelled", "key-required",
        "eula-required", "killed", "media-change-required", "need-untrusted", "cancelled-priority",
        "skip-transaction", "repair-required"};

    private static final String[] ERRORS = {"unknown", "out-of-memory", "no-network", "not-supported",
        "internal-error", "gpg-failure", "package-id-invalid", "package-not-installed", "package-not-found",
        "package-already-installed", "package-download-failed", "group-not-found", "group-list-invalid",
        "dep-resolution-failed", "filter-invalid", "create-thread-failed", "transaction-error",
        "transaction-cancelled", "no-cache", "repo-not-found", "cannot-remove-system-package", "process-kill",
        "failed-initialization", "failed-finalise", "failed-config-parsing", "cannot-cancel", "cannot-get-lock",
        "no-packages-to-update", "cannot-write-repo-config", "local-install-failed", "bad-gpg-signature",
        "missing-gpg-signature", "cannot-install-source-package", "repo-configuration-error",
        "no-license-agreement", "file-conflicts", "package-conflicts", "repo-not-available",
        "invalid-package-file", "package-install-blocked", "package-corrupt", "all-packages-already-installed",
        "file-not-found", "no-more-mirrors-to-try", "no-distro-upgrade-data", "incompatible-architecture",
        "no-space-on-device", "media-change-required", "not-authorized", "update-not-found",
        "cannot-install-repo-unsigned", "cannot-update-repo-unsigned", "cannot-get-filelist",
        "cannot-get-requires", "cannot-disable-repository", "restricted-download", "package-failed-to-configure",
        "package-failed-to-build", "package-failed-to-install", "package-failed-to-remove",
        "update-failed-due-to-running-process", "package-database-changed", "provide-type-not-supported",
        "install-root-invalid", "cannot-fetch-sources", "cancelled-priority", "unfinished-transaction",
        "lock-required", "repo-already-set"};

    static final int ERROR_MISSING_GPG_SIGNATURE = 31;
    static final int ERROR_BAD_GPG_SIGNATURE = 30;
    static final int ERROR_GPG_FAILURE = 5;
    static final int ERROR_CANNOT_INSTALL_REPO_UNSIGNED = 50;

    /** Whether a package with this info is being changed (not merely listed). */
    static boolean changing(int info) {
        return info == INFO_UPDATING || info == INFO_INSTALLING || info == INFO_REMOVING || info == INFO_CLEANUP
                || info == INFO_OBSOLETING || info == INFO_REINSTALLING || info == INFO_DOWNGRADING;
    }

    static String exit(int v) {
        return v >= 0 && v < EXITS.length ? EXITS[v] : "exit " + v;
    }

    static String error(int v) {
        return v >= 0 && v < ERRORS.length ? ERRORS[v] : "error " + v;
    }
}
