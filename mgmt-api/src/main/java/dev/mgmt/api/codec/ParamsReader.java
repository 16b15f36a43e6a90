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
 * {@link #read} makes the resource. What it throws is said as the resource's problem: an
 * {@link IllegalArgumentException} with the kind's own reason (best started with the key, as
 * in {@code "path: must be absolute"}, so that the problem is shown on that key's line), a
 * {@link NullPointerException} naming a parameter as that parameter given as nothing.
 *
 * @param <R> the resource type
 */
public interface ParamsReader<R extends Resource> {

    /** The kind's keys besides {@code name} and {@code meta}, and how each is read. */
    ParamKeys keys();

    /** The resource from its parameters, read and checked by {@link #keys()}. */
    R read(Params params);
}
