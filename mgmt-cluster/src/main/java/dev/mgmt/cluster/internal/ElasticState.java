package dev.mgmt.cluster.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The chooser's decisions, kept in the store as one document ({@code elastic/state}) and
 * replaced only by compare-and-set, so that two choosers (an old leader that has not yet
 * noticed it was deposed, and the new one) can never both act: the one with the older Raft
 * term loses the race and re-reads.
 *
 * @param chooser   member id of the chooser that wrote this (the Raft leader at the time)
 * @param term      that leader's Raft term
 * @param nominated host to member id of every host that is, or is to become, a voter
 * @param voters    the Raft configuration's voters as the chooser last saw it
 * @param leader    the Raft leader's member id as the chooser last saw it
 */
record ElasticState(String chooser, long term, Map<String, String> nominated, List<String> voters, String leader) {

    static final String KEY = "elastic/state";

    private static final ObjectMapper JSON = new ObjectMapper();

    ElasticState {
        nominated = Map.copyOf(new TreeMap<>(nominated));
        voters = voters.stream().sorted().toList();
    }

    static ElasticState parse(String json) {
        if (json == null) {
            return null;
        }
        try {
            return JSON.readValue(json, ElasticState.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable " + KEY + ": " + e.getOriginalMessage(), e);
        }
    }

    String json() {
        try {
            // Sorted keys: equal states are equal text, so a no-op write can be skipped.
            return JSON.writeValueAsString(new ElasticState(chooser, term, new TreeMap<>(nominated), voters, leader));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    ElasticState nominate(String host, String memberId) {
        Map<String, String> n = new TreeMap<>(nominated);
        n.put(host, memberId);
        return new ElasticState(chooser, term, n, voters, leader);
    }

    ElasticState unnominate(String host) {
        Map<String, String> n = new TreeMap<>(nominated);
        n.remove(host);
        return new ElasticState(chooser, term, n, voters, leader);
    }

    ElasticState by(String chooser, long term) {
        return new ElasticState(chooser, term, nominated, voters, leader);
    }

    ElasticState seen(List<String> voters, String leader) {
        return new ElasticState(chooser, term, nominated, voters, leader);
    }

    /** Whether {@code memberId} is nominated (under any host). */
    boolean isNominated(String memberId) {
        return nominated.containsValue(memberId);
    }
}
