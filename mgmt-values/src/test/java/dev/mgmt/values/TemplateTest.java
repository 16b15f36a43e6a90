package dev.mgmt.values;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mgmt.api.ResourceId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Typed templates: rendering, standalone lines, and every mistake found when the template is made. */
class TemplateTest {

    enum Role { VOTER, SPARE }

    record Host(String name, String address) {
    }

    record Hosts(String domain, List<Host> hosts) {
    }

    record Site(String site, List<Host> hosts) {
    }

    record Sites(List<Site> sites) {
    }

    record Peer(Host host, Role role) {
    }

    record Scalars(int port, long big, double ratio, boolean on, char sep, Integer boxed, Role role,
                   StringBuilder built) {
    }

    record Maybe(Optional<String> comment, OptionalInt weight, Optional<? extends Number> limit) {
    }

    record Odd(Path path, List<String> tags, Host host, Optional<Host> other) {
    }

    private static final Hosts TWO = new Hosts("lan", List.of(new Host("a", "10.0.0.1"), new Host("b", "10.0.0.2")));

    @Test
    void holesRenderTheComponents() {
        Template<Host> t = Template.of(Host.class, "{{ address }}\t{{name}}\n");
        assertThat(t.render(new Host("a", "10.0.0.1"))).isEqualTo("10.0.0.1\ta\n");
        assertThat(t.type()).isEqualTo(Host.class);
        assertThat(t).hasToString("Template<Host>");
    }

    @Test
    void scalarsRenderAsStringValueOf() {
        Template<Scalars> t = Template.of(Scalars.class,
                "{{ port }} {{ big }} {{ ratio }} {{ on }} {{ sep }} {{ boxed }} {{ role }} {{ built }}");
        assertThat(t.render(new Scalars(80, 1L << 40, 0.5, true, ':', 7, Role.VOTER, new StringBuilder("sb"))))
                .isEqualTo("80 1099511627776 0.5 true : 7 VOTER sb");
    }

    @Test
    void aSectionAloneOnItsLinesRendersOneLinePerElementAndNoBlankLines() {
        Template<Hosts> t = Template.of(Hosts.class, """
                # {{ domain }}
                {{#each hosts}}
                {{ address }} {{ name }}.{{ domain }}
                {{/each}}
                # end
                """);
        assertThat(t.render(TWO)).isEqualTo("""
                # lan
                10.0.0.1 a.lan
                10.0.0.2 b.lan
                # end
                """);
    }

    @Test
    void standaloneTagsMayBeIndentedAndEndWithCrLfOrTheText() {
        Template<Hosts> t = Template.of(Hosts.class, "hosts:\r\n  {{#each hosts}}  \r\n  - {{ name }}\r\n\t{{/each}}");
        assertThat(t.render(TWO)).isEqualTo("hosts:\r\n  - a\r\n  - b\r\n");
    }

    @Test
    void aSectionSharingItsLineKeepsTheLine() {
        assertThat(Template.of(Hosts.class, "hosts: {{#each hosts}}{{ name }} {{/each}}\nend\n").render(TWO))
                .isEqualTo("hosts: a b \nend\n");
        // a hole on the line is content: the line is kept, as written
        assertThat(Template.of(Hosts.class, "{{#each hosts}} {{ name }}\n{{/each}}\n").render(TWO))
                .isEqualTo(" a\n b\n");
        // two section tags on one line: neither is alone
        assertThat(Template.of(Hosts.class, "[\n{{#each hosts}}{{/each}}\n]").render(TWO)).isEqualTo("[\n\n]");
        // blanks inside a tag do not matter
        assertThat(Template.of(Hosts.class, "{{ # each\thosts }}{{name}},{{ / each }}").render(TWO)).isEqualTo("a,b,");
    }

    @Test
    void holeLinesKeepTheirLineEndings() {
        assertThat(Template.of(Host.class, "{{ name }}\n\n{{ address }}\n").render(new Host("a", "b")))
                .isEqualTo("a\n\nb\n");
    }

    @Test
    void eachOverAnEmptyListRendersNothingAndNoBlankLine() {
        Template<Hosts> t = Template.of(Hosts.class, "before\n{{#each hosts}}\n{{ name }}\n{{/each}}\nafter\n");
        assertThat(t.render(new Hosts("lan", List.of()))).isEqualTo("before\nafter\n");
    }

    @Test
    void eachNestsAndSeesTheRecordsAroundIt() {
        Template<Sites> t = Template.of(Sites.class, """
                {{#each sites}}
                [{{ site }}]
                {{#each hosts}}
                {{ name }} in {{ site }}
                {{/each}}
                {{/each}}
                """);
        Sites s = new Sites(List.of(
                new Site("north", List.of(new Host("a", "1"), new Host("b", "2"))),
                new Site("south", List.of())));
        assertThat(t.render(s)).isEqualTo("[north]\na in north\nb in north\n[south]\n");
    }

    @Test
    void eachGoesOverAnyCollectionOfRecords() {
        record Set1(Set<Host> hosts) {
        }
        Template<Set1> t = Template.of(Set1.class, "{{#each hosts}}{{ name }}{{/each}}");
        assertThat(t.render(new Set1(Set.of(new Host("a", "1"))))).isEqualTo("a");
    }

    @Test
    void aComponentOfARecordComponent() {
        Template<Peer> t = Template.of(Peer.class, "{{ host.name }}={{ host.address }} ({{ role }})");
        assertThat(t.render(new Peer(new Host("a", "10.0.0.1"), Role.SPARE))).isEqualTo("a=10.0.0.1 (SPARE)");
    }

    @Test
    void anOptionalRendersItsValueOrNothing() {
        Template<Maybe> t = Template.of(Maybe.class, "[{{ comment }}][{{ weight }}][{{ limit }}]");
        assertThat(t.render(new Maybe(Optional.of("hi"), OptionalInt.of(3), Optional.of(5L)))).isEqualTo("[hi][3][5]");
        assertThat(t.render(new Maybe(Optional.empty(), OptionalInt.empty(), Optional.empty()))).isEqualTo("[][][]");
    }

    @Test
    void aLiteralIsItsText() {
        Template<Host> t = Template.of(Host.class, "{{ \"{{\" }} name }} is {{ name }}; {{ \"tab\\there \\\"q\\\" \\\\\" }}");
        assertThat(t.render(new Host("a", "b"))).isEqualTo("{{ name }} is a; tab\there \"q\" \\");
        // a stray }} is text
        assertThat(Template.of(Host.class, "}} {{name}} }}").render(new Host("a", "b"))).isEqualTo("}} a }}");
    }

    @Test
    void unicodeTextAndNamesAreKept() {
        record Gruß(String straße, String 名前) {
        }
        Template<Gruß> t = Template.of(Gruß.class, "Grüße aus {{ straße }} — {{ 名前 }} 👋\n");
        assertThat(t.render(new Gruß("Hauptstraße", "太郎"))).isEqualTo("Grüße aus Hauptstraße — 太郎 👋\n");
        // columns count code points: the emoji is one
        assertThatThrownBy(() -> Template.of(Gruß.class, "👋 ü {{ nom }}"))
                .hasMessageStartingWith("line 1:5: {{ nom }} names no component of Gruß (straße, 名前)");
    }

    @Test
    void aNameThatIsNoComponentFailsAtOfWithItsPositionAndTheComponents() {
        assertThatThrownBy(() -> Template.of(Host.class, "ok\n  {{ nme }}\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("line 2:3: {{ nme }} names no component of Host (name, address)");
        assertThatThrownBy(() -> Template.of(Hosts.class, "{{#each hosts}}\n{{ nme }}\n{{/each}}\n"))
                .hasMessage("line 2:1: {{ nme }} names no component of Host (name, address) or Hosts (domain, hosts)");
        assertThatThrownBy(() -> Template.of(Peer.class, "{{ host.nme }}"))
                .hasMessage("line 1:1: {{ host.nme }}: nme names no component of Host (name, address)");
        assertThatThrownBy(() -> Template.of(Peer.class, "{{ role.name }}"))
                .hasMessage("line 1:1: {{ role.name }}: role of Peer is Role, which has no components: "
                        + "expected a record before .name");
    }

    @Test
    void aHoleOfATypeThatDoesNotRenderFailsAtOf() {
        assertThatThrownBy(() -> Template.of(Odd.class, "{{ path }}"))
                .hasMessage("line 1:1: {{ path }}: path of Odd is Path: a hole takes text, a number, a boolean, "
                        + "a character, an enum, or an Optional of one");
        assertThatThrownBy(() -> Template.of(Odd.class, "{{ other }}"))
                .hasMessageContaining("other of Odd is Optional<Host>: a hole takes text");
        assertThatThrownBy(() -> Template.of(Odd.class, "{{ host }}"))
                .hasMessage("line 1:1: {{ host }}: host of Odd is Host, a record: name one of its components, "
                        + "as in {{ host.name }} (components of Host (name, address))");
        assertThatThrownBy(() -> Template.of(Odd.class, "{{ tags }}"))
                .hasMessage("line 1:1: {{ tags }}: tags of Odd is List<String>: go over it with {{#each tags}} … {{/each}}");
    }

    @Test
    void eachOverWhatIsNotACollectionOfRecordsFailsAtOf() {
        assertThatThrownBy(() -> Template.of(Hosts.class, "{{#each domain}}{{/each}}"))
                .hasMessage("line 1:1: {{#each domain}}: domain of Hosts is String: expected a List or other "
                        + "Collection of records to go over; here a hole names a component of Hosts (domain, hosts)");
        assertThatThrownBy(() -> Template.of(Odd.class, "x\n {{#each tags}}{{/each}}"))
                .hasMessage("line 2:2: {{#each tags}}: tags of Odd is List<String>: expected a List or other "
                        + "Collection of records to go over (map the elements into records of your own); here a hole "
                        + "names a component of Odd (path, tags, host, other)");
    }

    @Test
    void sectionsThatDoNotPairUpFailAtOf() {
        assertThatThrownBy(() -> Template.of(Hosts.class, "a\n{{#each hosts}}\n{{ name }}\n"))
                .hasMessage("line 2:1: {{#each hosts}} is not closed: expected {{/each}} before the end of the "
                        + "template; in it a hole names a component of Host (name, address) or Hosts (domain, hosts)");
        assertThatThrownBy(() -> Template.of(Hosts.class, "{{ domain }}\n{{/each}}\n"))
                .hasMessage("line 2:1: {{/each}} has no {{#each …}} before it to close; here a hole names a "
                        + "component of Hosts (domain, hosts)");
        assertThatThrownBy(() -> Template.of(Hosts.class, "{{#if hosts}}"))
                .hasMessageStartingWith("line 1:1: unknown section {{#if…}}: expected {{#each COMPONENT}}");
        assertThatThrownBy(() -> Template.of(Hosts.class, "{{#each}}"))
                .hasMessageStartingWith("line 1:1: {{#each}} needs a component to go over, as in {{#each hosts}}");
    }

    @Test
    void syntaxErrorsSayWhatWasExpectedAndWhatAHoleMayName() {
        assertThatThrownBy(() -> Template.of(Host.class, "a {{ name }}\nb {{ name\nc"))
                .hasMessage("line 2:3: {{ is not closed on its line: expected }} (a literal {{ is written "
                        + "{{ \"{{\" }}); here a hole names a component of Host (name, address)");
        assertThatThrownBy(() -> Template.of(Host.class, "{{ }}"))
                .hasMessageStartingWith("line 1:1: empty {{ }}: expected a component's name");
        assertThatThrownBy(() -> Template.of(Host.class, "{{ name address }}"))
                .hasMessageStartingWith("line 1:1: unexpected 'a' in '{{ name': expected }}");
        assertThatThrownBy(() -> Template.of(Host.class, "{{ 1 }}"))
                .hasMessageStartingWith("line 1:1: unexpected '1' after {{: expected a component's name");
        assertThatThrownBy(() -> Template.of(Host.class, "{{ host. }}"))
                .hasMessageStartingWith("line 1:1: a . in '{{ host.' is not followed by a name");
        assertThatThrownBy(() -> Template.of(Host.class, "{{ \"a\\x\" }}"))
                .hasMessageStartingWith("line 1:1: unknown escape \\x in {{ \"…\" }}: expected \\\" \\\\ \\n or \\t");
        assertThatThrownBy(() -> Template.of(Host.class, "{{ \"open }}"))
                .hasMessageStartingWith("line 1:1: unclosed \" in {{ \"…\" }}");
    }

    @Test
    void aNullComponentIsRefusedWhenRenderingNeverWrittenAsNull() {
        Template<Hosts> t = Template.of(Hosts.class, "{{#each hosts}}\n{{ name }} {{ address }}\n{{/each}}\n");
        assertThatThrownBy(() -> t.render(new Hosts("lan", List.of(new Host("a", "1"), new Host("b", null)))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("line 2:12: {{ address }}: address of Host is null (element 2 of hosts); a template "
                        + "renders no null: make it Optional<String> for a value that may be absent");
        assertThatThrownBy(() -> t.render(new Hosts("lan", Arrays.asList(new Host("a", "1"), null))))
                .hasMessage("line 1:1: {{#each hosts}}: element 2 of hosts is null; a template renders no null");
        assertThatThrownBy(() -> t.render(new Hosts("lan", null)))
                .hasMessage("line 1:1: {{#each hosts}}: hosts of Hosts is null; a template renders no null: give an "
                        + "empty List when there is nothing");
        assertThatThrownBy(() -> Template.of(Peer.class, "{{ host.name }}").render(new Peer(null, Role.VOTER)))
                .hasMessage("line 1:1: {{ host.name }}: host of Peer is null; a template renders no null: host must "
                        + "not be null (a hole cannot read through an absent record)");
        assertThatThrownBy(() -> Template.of(Maybe.class, "{{ comment }}").render(new Maybe(null, OptionalInt.empty(), Optional.empty())))
                .hasMessageEndingWith("give an empty Optional for a value that may be absent");
    }

    @Test
    void recordsFromOtherPackagesAndModulesWork() {
        record Watched(List<ResourceId> ids) {
        }
        Template<Watched> t = Template.of(Watched.class, "{{#each ids}}\n{{ kind }}[{{ name }}]\n{{/each}}\n");
        assertThat(t.render(new Watched(List.of(new ResourceId("file", "/etc/motd"))))).isEqualTo("file[/etc/motd]\n");
        assertThat(Template.of(CommandOutput.class, "{{ exitStatus }}: {{ stdout }}").render(new CommandOutput("hi", 0)))
                .isEqualTo("0: hi");
    }

    @Test
    void aTypeThatIsNoRecordIsRefused() {
        @SuppressWarnings({"unchecked", "rawtypes"})
        Class<Record> notARecord = (Class) String.class;
        assertThatThrownBy(() -> Template.of(notARecord, "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("String is not a record: a template's values are a record's components");
    }

    @Test
    void aTemplateFileIsStrictUtf8AndPositionsAreTheFiles(@TempDir Path tmp) throws Exception {
        Path f = Files.writeString(tmp.resolve("hosts.tmpl"), "# ü\n{{#each hosts}}\n{{ name }}\n{{/each}}\n");
        assertThat(Template.of(Hosts.class, f).render(TWO)).isEqualTo("# ü\na\nb\n");

        Path bad = Files.writeString(tmp.resolve("bad.tmpl"), "ok\n\n   {{ nme }}\n");
        assertThatThrownBy(() -> Template.of(Hosts.class, bad))
                .hasMessage(bad + ":3:4: {{ nme }} names no component of Hosts (domain, hosts)");

        Path latin1 = Files.write(tmp.resolve("latin1.tmpl"), "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> Template.of(Hosts.class, latin1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(latin1 + " is not UTF-8 text (byte 3 of 4)");

        assertThatThrownBy(() -> Template.of(Hosts.class, tmp.resolve("missing.tmpl")))
                .isInstanceOf(NoSuchFileException.class);
    }
}
