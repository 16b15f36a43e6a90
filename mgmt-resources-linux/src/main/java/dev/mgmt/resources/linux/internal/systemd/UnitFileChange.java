package dev.mgmt.resources.linux.internal.systemd;

import org.freedesktop.dbus.Struct;
import org.freedesktop.dbus.annotations.Position;

/** One change made by {@code EnableUnitFiles}/{@code DisableUnitFiles}: D-Bus {@code (sss)}. */
public final class UnitFileChange extends Struct {

    @Position(0)
    private final String type;
    @Position(1)
    private final String file;
    @Position(2)
    private final String destination;

    public UnitFileChange(String type, String file, String destination) {
        this.type = type;
        this.file = file;
        this.destination = destination;
    }

    /** {@code symlink} or {@code unlink}. */
    public String getType() {
        return type;
    }

    /** The symlink created or removed. */
    public String getFile() {
        return file;
    }

    /** What a created symlink points to; empty for {@code unlink}. */
    public String getDestination() {
        return destination;
    }

    /** For messages: {@code symlink /a -> /b} or {@code unlink /a}. */
    public String describe() {
        return type + " " + file + (destination == null || destination.isEmpty() ? "" : " -> " + destination);
    }
}
