package dev.crownest.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSourceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * deploy/kubernetes parses strictly and agrees with the services it deploys: the environment they read,
 * the Secrets they refer to, the ports they listen on and the health paths they serve.
 */
class KubernetesManifestsTest {

    /** The Maven module's directory is deploy/; the repository root holds the services' configuration. */
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    private static final List<String> DEPLOYMENTS = List.of(
            "api-gateway",
            "sandbox-service",
            "execution-worker",
            "metering-service",
            "billing-service",
            "audit-service");

    private static final Map<String, ServiceConfiguration> SERVICES = Stream.concat(
                    DEPLOYMENTS.stream(), Stream.of("node-agent"))
            .collect(Collectors.toMap(Function.identity(), s -> ServiceConfiguration.of(ROOT, s)));

    private static ManifestChecks checks() {
        return new ManifestChecks(Manifests.load(ROOT.resolve("deploy/kubernetes")), SERVICES);
    }

    /** The one container of a Deployment, to change in memory and show that a check catches it. */
    private static Container container(ManifestChecks checks, String deployment) {
        return checks.manifests()
                .named(Deployment.class, deployment)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .getFirst();
    }

    @Test
    void aDeploymentPerServiceAndTheNodeAgentAsPrivilegedDaemonSetWithHostState() {
        Manifests manifests = checks().manifests();
        assertThat(manifests.all(Deployment.class))
                .extracting(d -> d.getMetadata().getName())
                .containsExactlyInAnyOrderElementsOf(DEPLOYMENTS);
        DaemonSet node = manifests.named(DaemonSet.class, "node-agent");
        Container agent = node.getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertThat(agent.getSecurityContext().getPrivileged()).isTrue();
        assertThat(node.getSpec().getTemplate().getSpec().getVolumes())
                .filteredOn(v -> v.getHostPath() != null)
                .extracting(Volume::getName)
                .contains("state", "templates");
        assertThat(manifests.all(Deployment.class))
                .allSatisfy(d -> assertThat(d.getSpec().getTemplate().getSpec().getContainers())
                        .allSatisfy(
                                c -> assertThat(c.getResources().getLimits()).containsKey("memory")));
    }

    @Test
    void anUnknownFieldOrAWrongApiVersionFails() {
        String typo = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec: {replica: 2}\n";
        assertThatThrownBy(() -> Manifests.parse(typo, "typo.yaml")).isInstanceOf(UnrecognizedPropertyException.class);
        String nested =
                "apiVersion: v1\nkind: Service\nmetadata: {name: x}\nspec: {ports: [{port: 1, targetPort: 1, nodeport: 3}]}\n";
        assertThatThrownBy(() -> Manifests.parse(nested, "nested.yaml"))
                .isInstanceOf(UnrecognizedPropertyException.class);
        String old = "apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: x}\n";
        assertThatThrownBy(() -> Manifests.parse(old, "old.yaml")).hasMessageContaining("needs apiVersion apps/v1");
    }

    @Test
    void everyEnvironmentVariableIsOneItsServiceReads() {
        assertThat(checks().unknownEnvironment()).isEmpty();
    }

    @Test
    void eachServiceReadsItsOwnSettingsOnly() {
        assertThat(SERVICES.get("audit-service").envNames())
                .contains("CROWNEST_AUDIT_WRITER_PASSWORD", "CROWNEST_BIND_ADDRESS");
        assertThat(SERVICES.get("execution-worker").envNames())
                .contains("CROWNEST_SEALING_KEY", "CROWNEST_WORKER_OUTPUTCAPBYTES", "CROWNEST_WORKER_OUTPUT_CAP_BYTES")
                .doesNotContain("CROWNEST_AUDIT_WRITER_PASSWORD", "SPRING_R2DBC_URL");
        // the gateway listens on every interface: it has no bind address to set
        assertThat(SERVICES.get("api-gateway").envNames()).doesNotContain("CROWNEST_BIND_ADDRESS");
    }

    @Test
    void aVariableNoServiceReadsIsCaught() {
        ManifestChecks checks = checks();
        Container worker = container(checks, "execution-worker");
        worker.getEnv().add(new EnvVar("CROWNEST_WORKER_OUTPUT_CAP", "1", null));
        assertThat(checks.unknownEnvironment())
                .containsExactly(
                        "execution-worker: CROWNEST_WORKER_OUTPUT_CAP is read by no setting of execution-worker");
    }

    @Test
    void everySecretRefPointsAtADefinedSecretAndKey() {
        ManifestChecks checks = checks();
        assertThat(checks.danglingSecretRefs()).isEmpty();
        assertThat(checks.danglingClaims()).isEmpty();
        Container gateway = container(checks, "api-gateway");
        gateway.getEnv()
                .add(new EnvVar(
                        "CROWNEST_PREVIEW_SECRET",
                        null,
                        new EnvVarSourceBuilder()
                                .withNewSecretKeyRef("preview", "crownest-previews", false)
                                .build()));
        assertThat(checks.danglingSecretRefs())
                .containsExactly("api-gateway: Secret crownest-previews is defined by no manifest");
    }

    @Test
    void theRepositoryHoldsPlaceholdersNeverSecrets() {
        assertThat(checks().manifests().all(Secret.class)).allSatisfy(secret -> {
            assertThat(secret.getData()).isNullOrEmpty();
            assertThat(secret.getStringData())
                    .allSatisfy((key, value) -> assertThat(value).isEqualTo("change-me"));
        });
    }

    @Test
    void servicePortsMatchTheirContainersAndProbesAskServedHealthPaths() {
        ManifestChecks checks = checks();
        assertThat(checks.portMismatches()).isEmpty();
        assertThat(checks.badProbes()).isEmpty();
        Container audit = container(checks, "audit-service");
        audit.getLivenessProbe().getHttpGet().setPath("/health");
        assertThat(checks.badProbes()).containsExactly("audit-service: probe path /health is not served");
    }

    @Test
    void onlyTheGatewayIsReachableFromOutsideTheNamespace() {
        Manifests manifests = checks().manifests();
        assertThat(manifests.all(Service.class))
                .filteredOn(s -> !s.getMetadata().getName().equals("api-gateway"))
                .allSatisfy(s -> assertThat(s.getSpec().getType()).isIn(null, "ClusterIP"));
        assertThat(manifests.named(Service.class, "api-gateway").getSpec().getType())
                .isEqualTo("LoadBalancer");
        NetworkPolicy denyAll = manifests.named(NetworkPolicy.class, "default-deny-ingress");
        assertThat(denyAll.getSpec().getPodSelector().getMatchLabels()).isNullOrEmpty();
        assertThat(denyAll.getSpec().getIngress()).isNullOrEmpty();
        NetworkPolicy gateway = manifests.named(NetworkPolicy.class, "allow-gateway-from-anywhere");
        assertThat(gateway.getSpec().getPodSelector().getMatchLabels())
                .containsEntry("app.kubernetes.io/name", "api-gateway");
    }
}
