package dev.mgmt.resources.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mgmt.api.Graph;
import dev.mgmt.api.Meta;
import dev.mgmt.api.Uid;
import dev.mgmt.api.codec.ResourceCodec;
import dev.mgmt.api.yaml.YamlGraph;
import dev.mgmt.api.yaml.YamlGraphException;
import dev.mgmt.engine.Engine;
import java.util.List;
import org.junit.jupiter.api.Test;

/** user and group as values: mgmt's YAML, validation, the codec and automatic edges. No root needed. */
class AccountsCodecTest {

    private final ResourceCodec codec = ResourceCodec.standard();

    @Test
    void mgmtsExampleGraphsLoad() {
        // as in mgmt 0.0.15's user1.yaml, group1.yaml and autoedges4.yaml
        YamlGraph g = YamlGraph.parse("""
                graph: mygraph
                resources:
                  user:
                  - name: testuser
                    uid: 1002
                    gid: 100
                    state: exists
                  - name: edgeuser2
                    state: exists
                    group: edgegroup
                    groups: [edgegroup2, edgegroup3]
                    homedir: /home/edgeuser2/
                    shell: /bin/bash
                    allowduplicateuid: true
                  group:
                  - name: testgroup
                    state: exists
                    gid: 10000
                  - name: gone
                    state: absent
                edges: []
                """, "accounts.yaml", codec);
        assertThat(g.graph().resources()).containsExactlyInAnyOrder(
                UserResource.builder("testuser").uid(1002).gid(100).build(),
                UserResource.builder("edgeuser2").group("edgegroup").groups(List.of("edgegroup2", "edgegroup3"))
                        .homedir("/home/edgeuser2/").shell("/bin/bash").allowDuplicateUid(true).build(),
                GroupResource.builder("testgroup").gid(10000).build(),
                GroupResource.builder("gone").state(AccountState.ABSENT).build());
    }

    @Test
    void roundTripsThroughTheCodec() {
        UserResource u = UserResource.builder("app").uid(2000).group("app").groups(List.of("adm", "staff"))
                .homedir("/srv/app").shell("/usr/sbin/nologin").allowDuplicateUid(true)
                .meta(Meta.builder().noop(true).build()).build();
        assertThat(codec.fromJson("user", codec.toJson(u))).isEqualTo(u);
        UserResource bare = UserResource.builder("x").groups(List.of()).build();
        assertThat(codec.fromJson("user", codec.toJson(bare))).isEqualTo(bare).isNotEqualTo(
                UserResource.builder("x").build());
        GroupResource g = GroupResource.builder("app").gid(2000).build();
        assertThat(codec.fromJson("group", codec.toJson(g))).isEqualTo(g);
        assertThat(g.toBuilder().build()).isEqualTo(g).hasSameHashCodeAs(g);
        assertThat(u.toBuilder().build()).isEqualTo(u).hasSameHashCodeAs(u);
    }

    @Test
    void validationNamesTheParameter() {
        assertThat(UserResource.builder("bob").uid(-3).gid(4294967295L).group("users").groups(List.of("adm", "adm",
                "1234", "-x")).homedir("home/bob").shell("/bin/b:sh").build().validate()).containsExactly(
                "uid: -3 is not a user id (0 to 4294967294)",
                "gid: 4294967295 is not a group id (0 to 4294967294)",
                "group: give the primary group by group or by gid, not both",
                "groups: 'adm' is given twice",
                "groups: '1234' is not a group name: it has only digits, which the tools read as an id",
                "groups: '-x' is not a group name: it starts with '-'",
                "homedir: must be an absolute path, was 'home/bob'",
                "shell: '/bin/b:sh' has ':' or a control character, which /etc/passwd cannot hold");
        assertThat(UserResource.builder("a b").homedir("/home/../etc").build().validate()).containsExactly(
                "name: 'a b' is not a user name: it has ' ' (letters, digits, '_', '.' and '-' only, and a final '$')",
                "homedir: must not contain '.' or '..', was '/home/../etc'");
        assertThat(UserResource.builder("a".repeat(33)).build().validate()).containsExactly(
                "name: '" + "a".repeat(33) + "' is not a user name: it is longer than 32 bytes");
        assertThat(UserResource.builder("host$").uid(4294967294L).build().validate()).isEmpty();
        assertThat(UserResource.builder("Web_1.x-y").build().validate()).isEmpty();
        assertThat(GroupResource.builder("..").gid(-1).build().validate()).containsExactly(
                "name: '..' is not a group name: it is not a name", "gid: -1 is not a group id (0 to 4294967294)");
        assertThat(UserResource.builder("bob").state(AccountState.ABSENT).meta(Meta.builder().reverse(true).build())
                .build().validate()).containsExactly("state: meta.reverse needs state 'exists' (a removed user cannot"
                + " be put back: its ids, groups and password are not known)");
    }

    @Test
    void yamlMistakesAreRefusedAtTheirLine() {
        assertThatThrownBy(() -> YamlGraph.parse("""
                resources:
                  user:
                  - name: bob
                    state: present
                  - name: carol
                    uid: "1002"
                  - name: dave
                    home: /home/dave
                  group:
                  - name: g
                    gid: 0x10
                """, "bad.yaml", codec)).isInstanceOf(YamlGraphException.class).satisfies(e -> assertThat(
                e.getMessage()).contains("bad.yaml:4", "state: must be 'exists' or 'absent', was 'present'",
                "bad.yaml:6", "'uid'", "bad.yaml:8", "unknown key 'home'", "bad.yaml:11", "'0x10' is ambiguous"));
    }

    @Test
    void anEmptyValueIsRefusedNotTakenAsUnmanaged() {
        // a template that rendered nothing: null (not given) leaves a parameter alone, "" does not
        assertThat(UserResource.builder("bob").group("").homedir("").shell("").build().validate()).containsExactly(
                "group: must not be empty", "homedir: must not be empty", "shell: must not be empty");
        // YAML's "" is decoded as written, and so refused by validate() (which the loader runs)
        assertThat(YamlGraph.parse("""
                resources:
                  user:
                  - name: bob
                    shell: ""
                    homedir: ""
                    group: ""
                """, "empty.yaml", codec).graph().resources()).singleElement().satisfies(r -> assertThat(r.validate())
                .containsExactly("group: must not be empty", "homedir: must not be empty", "shell: must not be empty"));
        assertThatThrownBy(() -> YamlGraph.parse("""
                resources:
                  user:
                  - name: carol
                    state: ""
                  group:
                  - name: g
                    state: ""
                """, "state.yaml", codec)).isInstanceOf(YamlGraphException.class).satisfies(e -> assertThat(
                e.getMessage()).contains("state.yaml:4: user[carol]: state: must be 'exists' or 'absent', was empty",
                "state.yaml:7: group[g]: state: must be 'exists' or 'absent', was empty"));
    }

    @Test
    void usersComeAfterTheirGroupsAndAbsentOnesBefore() {
        // as in mgmt 0.0.15's autoedges4.yaml
        Graph g = YamlGraph.parse("""
                resources:
                  user:
                  - name: edgeuser
                    state: absent
                    gid: 10000
                  - name: edgeuser2
                    state: exists
                    group: edgegroup
                    groups: [edgegroup2, edgegroup3]
                  group:
                  - name: edgegroup
                    state: exists
                    gid: 10000
                  - name: edgegroup2
                    state: exists
                  - name: edgegroup3
                    state: exists
                """, "autoedges.yaml", codec).graph();
        assertThat(Engine.builder().compile(g).edges()).extracting(e -> e.from() + " -> " + e.to())
                .containsExactlyInAnyOrder("user[edgeuser] -> group[edgegroup]",
                        "group[edgegroup] -> user[edgeuser2]", "group[edgegroup2] -> user[edgeuser2]",
                        "group[edgegroup3] -> user[edgeuser2]");
    }

    @Test
    void aFileSeeksItsOwnerAndGroupByNameOrId() {
        FileResource f = FileResource.builder("/srv/app/conf").content("x").owner("app").group("0050").build();
        assertThat(f.seeks()).contains(List.of(Uid.of("user", "app")), List.of(Uid.of("gid", "50")));
        FileResource byIds = FileResource.builder("/srv/app/data").content("x").owner("2000").group("app").build();
        assertThat(byIds.seeks()).contains(List.of(Uid.of("uid", "2000")), List.of(Uid.of("group", "app")));
        UserResource app = UserResource.builder("app").uid(2000).group("app").build();
        GroupResource appGroup = GroupResource.builder("app").build();
        GroupResource staff = GroupResource.builder("staff").gid(50).build();
        assertThat(Engine.builder().compile(Graph.builder().add(f, byIds, app, appGroup, staff).build()).edges())
                .extracting(e -> e.from() + " -> " + e.to()).containsExactlyInAnyOrder(
                        "group[app] -> user[app]", "user[app] -> file[/srv/app/conf]",
                        "group[staff] -> file[/srv/app/conf]", "user[app] -> file[/srv/app/data]",
                        "group[app] -> file[/srv/app/data]");
    }

    @Test
    void peersNeedTrust() {
        assertThat(UserResource.builder("a").build().trustNeeded()).isPresent();
        assertThat(GroupResource.builder("a").build().trustNeeded()).isPresent();
        assertThat(UserResource.builder("a").uid(5).build().reversed())
                .isEqualTo(UserResource.builder("a").state(AccountState.ABSENT).build());
    }
}
