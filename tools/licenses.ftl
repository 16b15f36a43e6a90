<#-- tools/licenses.sh: one line per dependency, group:artifact, version and licences, tab-separated. -->
<#list dependencyMap as e>
${e.getKey().groupId}:${e.getKey().artifactId}	${e.getKey().version}	${e.getValue()?join(" / ")}
</#list>
