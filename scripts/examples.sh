#!/usr/bin/env bash
# Installs Sprocket into a private local Maven repository and builds and runs examples/ (its own Maven build,
# not a module of the reactor) against the installed artifacts, as an application would:
#
#   scripts/examples.sh [--online]
#
# 1. `mvn install` of the reactor (tests skipped; sprocket-bom, sprocket-core, sprocket-micrometer and sprocket-cli with their sources
#    and Javadoc jars, and the parent pom) with -Dmaven.repo.local=target/examples/m2: nothing goes to ~/.m2,
#    which other builds share; the script fails if anything under ~/.m2/repository/io/sprocket changed.
# 2. `mvn -f examples/pom.xml verify` with the same private repository: compiles the examples against the BOM and
#    sprocket-core and runs each (REQ/REP, PUB/SUB, a browser-facing ws service, virtual threads), which check
#    their own results.
#
# By default both builds read released third-party artifacts (plugins, Netty, SLF4J) from ~/.m2/repository as a
# file:// repository tried before Maven Central (never its snapshots: no stale io.sprocket), so a machine that has
# built Sprocket needs little or no network, and nothing is written there; what is missing comes from Central.
# --online uses Maven Central only, as on a fresh machine.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=$ROOT/target/examples
M2=$WORK/m2
ONLINE=false
[[ ${1:-} == --online ]] && ONLINE=true
[[ $# -gt 0 && $1 != --online ]] && { echo "examples.sh: unknown argument $1 (usage: scripts/examples.sh [--online])" >&2; exit 2; }

mkdir -p "$WORK"
rm -rf "$M2/io/sprocket"                 # this checkout's artifacts only, from this run
settings=()
if ! $ONLINE && [[ -d $HOME/.m2/repository ]]; then
    cat >"$WORK/settings.xml" <<XML
<settings>
  <profiles>
    <profile>
      <id>home-m2</id>
      <repositories>
        <repository><id>home-m2</id><url>file://$HOME/.m2/repository</url><snapshots><enabled>false</enabled></snapshots></repository>
      </repositories>
      <pluginRepositories>
        <pluginRepository><id>home-m2</id><url>file://$HOME/.m2/repository</url><snapshots><enabled>false</enabled></snapshots></pluginRepository>
      </pluginRepositories>
    </profile>
  </profiles>
  <activeProfiles><activeProfile>home-m2</activeProfile></activeProfiles>
</settings>
XML
    settings=(-s "$WORK/settings.xml")
fi
marker=$WORK/started
touch "$marker"
mvn=(mvn -B -ntp -q "-Dmaven.repo.local=$M2" ${settings[@]+"${settings[@]}"})

SECONDS=0
echo "examples.sh: mvn install into $M2"
(cd "$ROOT" && "${mvn[@]}" -Dmaven.test.skip=true -Dsprocket.cds.skip=true install)
install_time=$SECONDS
for a in sprocket-parent sprocket-bom sprocket-core sprocket-micrometer sprocket-cli; do
    [[ -f $M2/io/sprocket/$a/0.1.0-SNAPSHOT/maven-metadata-local.xml ]] || { echo "examples.sh: $a was not installed" >&2; exit 1; }
done
for c in sources javadoc; do
    ls "$M2"/io/sprocket/sprocket-core/0.1.0-SNAPSHOT/sprocket-core-*-"$c".jar >/dev/null
done

echo "examples.sh: mvn -f examples/pom.xml verify"
"${mvn[@]}" -f "$ROOT/examples/pom.xml" verify

if [[ -d $HOME/.m2/repository/io/sprocket ]] && [[ -n $(find "$HOME/.m2/repository/io/sprocket" -newer "$marker" -print -quit) ]]; then
    echo "examples.sh: something wrote into ~/.m2/repository/io/sprocket during this run" >&2
    exit 1
fi
echo "examples.sh: OK (install ${install_time} s, examples $((SECONDS - install_time)) s)"
