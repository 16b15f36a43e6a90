package dev.mgmt.api.codec;

import dev.mgmt.api.Resource;

/**
 * A capability a {@link dev.mgmt.api.ResourceKind} may have: it reads its own parameters from
 * YAML, by keys it declares, instead of through Jackson. The codec checks for it; a kind
 * without it is decoded by Jackson as before. mgmt's own kinds have it, so that a run of a YAML
 * graph does not start Jackson (about 70 ms of a short run); the cluster's JSON still goes
 * through Jackson, so such a kind keeps its Jackson annotations too, with the same keys.
 *
 * <p>Values are read and checked in the order the user wrote them, then required keys, then
 * {@link #read} makes the resource; an {@link IllegalArgumentException} it throws is the kind's
 * own check failing and is said as such.
 *
 * @param <R> the resource type
 */
public interface ParamsReader<R extends Resource> {

    /** The kind's keys besides {@code name} and {@code meta}, and how each is read. */
    ParamKeys keys();

    /** The resource from its parameters, read and checked by {@link #keys()}. */
    R read(Params params);
}
