package dev.crownest.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * What the manifests must agree on with each other and with the services: each check returns its
 * problems, one readable line each, so a test can show them all and another can prove a check fails.
 *
 * @param manifests the parsed manifests
 * @param services  each workload's configuration, by service (= workload and container) name
 */
record ManifestChecks(Manifests manifests, Map<String, ServiceConfiguration> services) {

    /**
     * The health paths a service serves without a service credential (service-kit's ServiceAuthFilter
     * opens {@code /actuator/health} and its groups): the full health, and Spring Boot's liveness and
     * readiness groups, which it adds when it runs on Kubernetes.
     */
    static final Set<String> HEALTH_PATHS =
            Set.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness");

    /** Each workload (Deployment or DaemonSet) by name, with its pod template. */
    Map<String, PodTemplateSpec> workloads() {
        Map<String, PodTemplateSpec> workloads = new TreeMap<>();
        manifests
                .all(Deployment.class)
                .forEach(d ->
                        workloads.put(d.getMetadata().getName(), d.getSpec().getTemplate()));
        manifests
                .all(DaemonSet.class)
                .forEach(d ->
                        workloads.put(d.getMetadata().getName(), d.getSpec().getTemplate()));
        return workloads;
    }

    /** Every environment variable a container gets (its env and its envFrom ConfigMaps) is one its service reads. */
    List<String> unknownEnvironment() {
        return eachContainer((service, container) -> {
            Set<String> given = new HashSet<>();
            container.getEnv().stream().map(EnvVar::getName).forEach(given::add);
            for (EnvFromSource from : container.getEnvFrom()) {
                if (from.getConfigMapRef() != null) {
                    ConfigMap map = manifests.named(
                            ConfigMap.class, from.getConfigMapRef().getName());
                    if (map == null) {
                        return List.of(service + ": envFrom names ConfigMap "
                                + from.getConfigMapRef().getName() + ", which no manifest defines");
                    }
                    given.addAll(map.getData().keySet());
                }
            }
            ServiceConfiguration configuration = services.get(service);
            if (configuration == null) {
                return List.of(service + ": no service of that name (its application.yml)");
            }
            return given.stream()
                    .filter(name -> !configuration.envNames().contains(name))
                    .sorted()
                    .map(name -> service + ": " + name + " is read by no setting of " + service)
                    .toList();
        });
    }

    /** Each Secret a container refers to is defined in the manifests and has the key named. */
    List<String> danglingSecretRefs() {
        return eachContainer((service, container) -> container.getEnv().stream()
                .map(EnvVar::getValueFrom)
                .filter(Objects::nonNull)
                .map(source -> source.getSecretKeyRef())
                .filter(Objects::nonNull)
                .map(ref -> missingKey(service, ref))
                .filter(Objects::nonNull)
                .toList());
    }

    private String missingKey(String service, SecretKeySelector ref) {
        Secret secret = manifests.named(Secret.class, ref.getName());
        if (secret == null) {
            return service + ": Secret " + ref.getName() + " is defined by no manifest";
        }
        Set<String> keys = new HashSet<>();
        if (secret.getData() != null) keys.addAll(secret.getData().keySet());
        if (secret.getStringData() != null) keys.addAll(secret.getStringData().keySet());
        return keys.contains(ref.getKey())
                ? null
                : service + ": Secret " + ref.getName() + " has no key " + ref.getKey();
    }

    /** Each volume's PersistentVolumeClaim is defined in the manifests. */
    List<String> danglingClaims() {
        return workloads().entrySet().stream()
                .flatMap(w -> w.getValue().getSpec().getVolumes().stream()
                        .map(Volume::getPersistentVolumeClaim)
                        .filter(Objects::nonNull)
                        .filter(claim -> manifests.named(PersistentVolumeClaim.class, claim.getClaimName()) == null)
                        .map(claim -> w.getKey() + ": claim " + claim.getClaimName() + " is defined by no manifest"))
                .toList();
    }

    /**
     * Each Service's targetPort is a port of the pods it selects, and the container's port is the one the
     * service listens on (its SERVER_PORT); a Service without a selector has Endpoints of its name.
     */
    List<String> portMismatches() {
        List<String> problems = new ArrayList<>();
        for (Service service : manifests.all(Service.class)) {
            String name = service.getMetadata().getName();
            Map<String, String> selector = service.getSpec().getSelector();
            if (selector == null || selector.isEmpty()) {
                if (manifests.named(Endpoints.class, name) == null)
                    problems.add(name + ": no selector and no Endpoints");
                continue;
            }
            List<Container> selected = workloads().values().stream()
                    .filter(pod -> pod.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()))
                    .flatMap(pod -> pod.getSpec().getContainers().stream())
                    .toList();
            if (selected.isEmpty()) problems.add(name + ": selects no workload");
            for (ServicePort port : service.getSpec().getPorts()) {
                if (selected.stream().noneMatch(c -> serves(c, port.getTargetPort()))) {
                    problems.add(name + ": targetPort " + port.getTargetPort().getValue() + " is no port of its pods");
                }
            }
        }
        problems.addAll(eachContainer((service, container) -> {
            String serverPort = container.getEnv().stream()
                    .filter(e -> e.getName().equals("SERVER_PORT"))
                    .map(EnvVar::getValue)
                    .findFirst()
                    .orElse(null);
            boolean listens = container.getPorts().stream()
                    .anyMatch(p -> "http".equals(p.getName())
                            && String.valueOf(p.getContainerPort()).equals(serverPort));
            return listens ? List.of() : List.of(service + ": port 'http' is not its SERVER_PORT " + serverPort);
        }));
        return problems;
    }

    /** Each HTTP probe asks a health path the service serves, on a port of its container, with health exposed. */
    List<String> badProbes() {
        return eachContainer((service, container) -> {
            ServiceConfiguration configuration = services.get(service);
            String exposed = configuration == null
                    ? ""
                    : configuration.config().getOrDefault("management.endpoints.web.exposure.include", "");
            return Stream.of(container.getReadinessProbe(), container.getLivenessProbe(), container.getStartupProbe())
                    .filter(Objects::nonNull)
                    .map(Probe::getHttpGet)
                    .map(get -> {
                        if (get == null) return service + ": a probe that is not an HTTP GET";
                        if (!HEALTH_PATHS.contains(get.getPath()))
                            return service + ": probe path " + get.getPath() + " is not served";
                        if (!List.of(exposed.split(",")).contains("health")) return service + ": health is not exposed";
                        return serves(container, get.getPort())
                                ? null
                                : service + ": probe port " + get.getPort().getValue() + " is not a container port";
                    })
                    .filter(Objects::nonNull)
                    .toList();
        });
    }

    private static boolean serves(Container container, IntOrString port) {
        Function<ContainerPort, Boolean> matches = port.getStrVal() != null
                ? p -> port.getStrVal().equals(p.getName())
                : p -> port.getIntVal().equals(p.getContainerPort());
        return container.getPorts().stream().anyMatch(matches::apply);
    }

    private List<String> eachContainer(BiFunction<String, Container, List<String>> check) {
        return workloads().values().stream()
                .flatMap(pod -> pod.getSpec().getContainers().stream())
                .flatMap(container -> check.apply(container.getName(), container).stream())
                .toList();
    }
}
