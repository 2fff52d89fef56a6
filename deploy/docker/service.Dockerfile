# One image per JVM service (api-gateway, sandbox-service, execution-worker, metering-service,
# billing-service, audit-service). The project publishes no images; build them yourself from the
# repository root after `mvn -B -DskipTests package`:
#   docker build -f deploy/docker/service.Dockerfile --build-arg SERVICE=sandbox-service \
#     -t registry.example.com/crownest/sandbox-service:0.1.0 .
FROM eclipse-temurin:21-jre
ARG SERVICE
# the Spring Boot fat jar the module's package phase writes
COPY ${SERVICE}/target/${SERVICE}-*.jar /opt/crownest/service.jar
# nobody needs root in these services
USER 10001
# the heap follows the container's memory limit (the stack's -Xmx per service, scaled)
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=70", "-XX:+UseSerialGC", "-Xss512k", "-jar", "/opt/crownest/service.jar"]
