#!/usr/bin/env bash
# Regenerates the table of docs/licenses.md: every dependency (direct or transitive, compile,
# runtime or provided scope; not test) of the published modules, with its licence as its own pom
# declares it, and the first module (in build order) that brings it. Run from anywhere, after a
# dependency changed; review the diff of docs/licenses.md (a new licence needs a line there).
#
# Usage: tools/licenses.sh [-o]   (-o: Maven offline)
# It runs org.codehaus.mojo:license-maven-plugin's add-third-party (version pinned in the parent
# pom) on every module, with tools/licenses.ftl as the output format and the licence names
# unified by tools/license-merges.txt; it writes only docs/licenses.md (and modules' target/).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
doc=docs/licenses.md
out=licenses.tsv

mvn -B -q -Dstyle.color=never ${1:+"$1"} org.codehaus.mojo:license-maven-plugin:add-third-party \
  -Dlicense.excludedScopes=test,system \
  -Dlicense.thirdPartyFilename="$out" -Dlicense.fileTemplate="$root/tools/licenses.ftl" \
  -Dlicense.licenseMergesFile="$root/tools/license-merges.txt"

# Published modules in build order (the parent's <modules>); bench, mgmt-examples and
# mgmt-examples-spring are not published.
modules=$(sed -n 's|.*<module>\(.*\)</module>.*|\1|p' pom.xml | grep -vx -e bench -e mgmt-examples -e mgmt-examples-spring)
table=$(mktemp)
trap 'rm -f "$table"' EXIT
{
  echo '| Artifact | Version | Licence | Brought by |'
  echo '| --- | --- | --- | --- |'
  for m in $modules; do
    f="$m/target/generated-sources/license/$out"
    if [ -f "$f" ]; then awk -F'\t' -v m="$m" 'NF == 3 && $1 !~ /^dev\.mgmt:/ { print $1 "\t" $2 "\t" $3 "\t" m }' "$f"; fi
  done | awk -F'\t' '!seen[$1 ":" $2]++' | sort -t$'\t' -k1,1 -k2,2V \
       | awk -F'\t' '{ printf "| %s | %s | %s | %s |\n", $1, $2, $3, $4 }'
} > "$table"

# Replace what lies between the two markers of $doc with the new table.
awk -v table="$table" '
  /<!-- BEGIN tools\/licenses.sh -->/ { print; while ((getline line < table) > 0) print line; skip = 1; next }
  /<!-- END tools\/licenses.sh -->/ { skip = 0 }
  !skip' "$doc" > "$doc.tmp"
mv "$doc.tmp" "$doc"
echo "$doc: $(($(wc -l < "$table") - 2)) dependencies"
