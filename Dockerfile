# syntax=docker/dockerfile:1
#
# ss-exporter container image: a jlinked Java 25 runtime and the shaded jar on distroless, running
# as a non-root user with no capabilities. See docs/deployment.md.
#
#   docker build -t ss-exporter:0.1.0 .
#   docker run --rm --network host --read-only --cap-drop ALL \
#       -v "$PWD/config.yml:/config.yml:ro" ss-exporter:0.1.0
#
# Stages: build (Maven, JDK 25) -> runtime (jlink, deploy/jlink.sh) -> the image.

ARG BUILD_IMAGE=maven:3.9-eclipse-temurin-25
ARG BASE_IMAGE=gcr.io/distroless/base-nossl-debian12:nonroot
ARG BUSYBOX_IMAGE=busybox:1.36-musl

# ---- 1. build the shaded jar ----
FROM ${BUILD_IMAGE} AS build
WORKDIR /src
COPY pom.xml ./
COPY ss-netlink ss-netlink
COPY ss-core ss-core
COPY ss-exporter ss-exporter
COPY ss-cli ss-cli
# Tests need the host's kernel, ss and promtool; they run in CI (.ci/run), not here.
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -Dmaven.test.skip=true -pl ss-cli -am package \
 && cp ss-cli/target/ss-exporter.jar /ss-exporter.jar

# ---- 2. link the trimmed runtime ----
FROM ${BUILD_IMAGE} AS runtime
COPY deploy/jlink-modules.txt deploy/jlink.sh /jlink/
COPY --from=build /ss-exporter.jar /jlink/ss-exporter.jar
RUN /jlink/jlink.sh "$JAVA_HOME" /jlink/ss-exporter.jar /opt/ss-exporter/runtime \
 && cp /jlink/ss-exporter.jar /opt/ss-exporter/ss-exporter.jar \
 && /opt/ss-exporter/runtime/bin/java -jar /opt/ss-exporter/ss-exporter.jar --create-config /config.yml

# ---- 3. the image ----
FROM ${BUSYBOX_IMAGE} AS busybox

FROM ${BASE_IMAGE}
# A static busybox for the compose healthcheck (busybox wget); the image has no other shell tools.
COPY --from=busybox /bin/busybox /usr/local/bin/busybox
COPY --from=runtime /opt/ss-exporter /opt/ss-exporter
# The commented sample config, equivalent to no config: the image runs as is, and a config mounted
# at /config.yml replaces it.
COPY --from=runtime /config.yml /config.yml

# The distroless "nonroot" user. Reading the sockets of the container's network namespace (the
# host's, with --network host) needs no capability; see docs/deployment.md for what process
# attribution (pid_condensed, process selection) needs on top.
USER 65532:65532
EXPOSE 8020

# Small, steady footprint (docs/cli.md, "JVM settings"): serial GC, heap at most half the
# container's memory limit (128 MiB under a 256 MiB limit; the launcher's -Xmx40m serves 100,000
# sockets, the rest is room for more), compact object headers with their CDS archive, the JIT's
# memory per compilation capped and two malloc arenas, as the launcher does, and no hsperfdata
# file (the root filesystem may be read-only).
ENV MALLOC_ARENA_MAX=2
ENTRYPOINT ["/opt/ss-exporter/runtime/bin/java", \
    "-XX:+UseSerialGC", "-Xms8m", "-XX:MaxRAMPercentage=50", "-XX:+UseCompactObjectHeaders", \
    "-XX:MaxMetaspaceSize=64m", "-XX:ReservedCodeCacheSize=48m", "-XX:CICompilerCount=2", \
    "-XX:CompileCommand=quiet", "-XX:CompileCommand=MemLimit,*.*,12m", \
    "-XX:+ExitOnOutOfMemoryError", "-XX:-UsePerfData", "-Xshare:auto", \
    "--enable-native-access=ALL-UNNAMED", \
    "-jar", "/opt/ss-exporter/ss-exporter.jar"]
CMD ["--port=8020", "--config=/config.yml"]
