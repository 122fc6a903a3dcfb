#!/usr/bin/env bash
# aot-cache.sh TARGET_DIR: the AOT cache (JEP 483/514, JDK 24+) of bin/sprocket's one-shot commands, made at
# `package` by sprocket-cli's pom after the shade. It trains the shaded jar with CdsTraining (a REQ/REP exchange
# over tcp) on the newest JDK 24+ installed in SPROCKET_JDKS (default /usr/lib/jvm), with the flags bin/sprocket
# gives a one-shot command, and writes TARGET_DIR/sprocket-cli-all-<java.runtime.version>.aot and its size record
# (.aot.size; bin/sprocket uses the cache only with a JDK of that exact version and that size). Without such a JDK
# it does nothing; a failed training run leaves no cache. Never fails the build.
set -uo pipefail
target=$1
jar=$target/sprocket-cli-all.jar
best= best_major=0 best_runtime=
for release in "${SPROCKET_JDKS:-/usr/lib/jvm}"/*/release; do
    [[ -f $release && -x ${release%/release}/bin/java ]] || continue
    major= runtime=
    while IFS='=' read -r key value || [[ -n $key ]]; do
        case $key in
            JAVA_VERSION) major=${value//\"/}; major=${major%%.*} ;;
            JAVA_RUNTIME_VERSION) runtime=${value//\"/} ;;
        esac
    done <"$release"
    if [[ $major =~ ^[0-9]+$ && -n $runtime ]] && ((major >= 24 && major > best_major)); then
        best=${release%/release}/bin/java best_major=$major best_runtime=$runtime
    fi
done
rm -f "$target"/sprocket-cli-all-*.aot "$target"/sprocket-cli-all-*.aot.size "$target"/sprocket-cli-all-*.aot.part
if [[ -z $best ]]; then
    echo "aot-cache.sh: no JDK 24+ in ${SPROCKET_JDKS:-/usr/lib/jvm}: no AOT cache (bin/sprocket uses the CDS archive)"
    exit 0
fi
cache=$target/sprocket-cli-all-$best_runtime.aot
# -XX:AOTCacheOutput (JDK 25, JEP 514) trains and assembles in one command; JDK 24 needs the two-step form
if ((best_major >= 25)); then
    steps=("-XX:AOTCacheOutput=$cache.part")
else
    steps=("-XX:AOTMode=record -XX:AOTConfiguration=$cache.conf" "-XX:AOTMode=create -XX:AOTConfiguration=$cache.conf -XX:AOTCache=$cache.part")
fi
for step in "${steps[@]}"; do
    # shellcheck disable=SC2086
    if ! "$best" $step -Xlog:aot=off -Xlog:cds=off --sun-misc-unsafe-memory-access=allow \
        --enable-native-access=ALL-UNNAMED -XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=20 \
        -XX:+UseSerialGC -Xmn16m -cp "$jar" io.sprocket.cli.CdsTraining >"$target/aot-cache.log" 2>&1; then
        echo "aot-cache.sh: training on $best failed (see $target/aot-cache.log): no AOT cache"
        rm -f "$cache.part" "$cache.conf"
        exit 0
    fi
done
rm -f "$cache.conf"
if [[ -s $cache.part ]]; then
    mv -f "$cache.part" "$cache"
    wc -c <"$cache" | tr -d ' ' >"$cache.size"
    echo "aot-cache.sh: $cache ($(cat "$cache.size") bytes, $best)"
fi
