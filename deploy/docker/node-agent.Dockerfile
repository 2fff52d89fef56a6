# The node agent: a JVM service plus the runtime it drives. runsc 0.0~20240729 or newer comes from
# Debian bookworm-backports (bookworm's own runsc lacks systrap; infra/scripts/stack.sh installs it the
# same way); erofs-utils for the EROFS template images; iproute2 and nftables give sandboxes their
# network; e2fsprogs formats the workspace disks. The services need Java 21, which bookworm does not
# ship: the JRE is Temurin's. Build from the repository root after `mvn -B -DskipTests package`:
#   docker build -f deploy/docker/node-agent.Dockerfile -t registry.example.com/crownest/node-agent:0.1.0 .
# It runs privileged and as root (deploy/kubernetes/20-node-agent.yaml): runsc needs both.
FROM debian:bookworm-slim
RUN echo 'deb http://deb.debian.org/debian bookworm-backports main' > /etc/apt/sources.list.d/backports.list \
 && apt-get update \
 && apt-get install -y --no-install-recommends -t bookworm-backports runsc \
 && apt-get install -y --no-install-recommends ca-certificates erofs-utils e2fsprogs iproute2 nftables util-linux \
 && rm -rf /var/lib/apt/lists/*
COPY --from=eclipse-temurin:21-jre /opt/java/openjdk /opt/java/openjdk
ENV PATH=/opt/java/openjdk/bin:$PATH
COPY node-agent/target/node-agent-*.jar /opt/crownest/service.jar
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=70", "-XX:+UseSerialGC", "-jar", "/opt/crownest/service.jar"]
