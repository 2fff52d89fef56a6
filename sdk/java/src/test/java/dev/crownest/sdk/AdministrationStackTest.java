package dev.crownest.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The operator's and tenant admins' calls against a real stack: tenant, project, key, revoke. */
@Tag("stack")
@Timeout(120)
class AdministrationStackTest {

    @Test
    void theOperatorMakesATenantWhoseAdminMakesAProjectAndAKeyThatWorksUntilRevoked() {
        Stack stack = Stack.fromEnvFile();
        CrowNest operator = CrowNest.builder()
                .baseUrl(stack.url)
                .sessionToken(stack.adminToken)
                .build();
        Tenant tenant = operator.admin().createTenant("sdk-java-" + UUID.randomUUID(), "pro");
        assertThat(tenant.adminToken()).isNotBlank();
        assertThat(operator.admin().listTenants().data()).extracting(Tenant::id).contains(tenant.id());

        CrowNest admin = CrowNest.builder()
                .baseUrl(stack.url)
                .sessionToken(tenant.adminToken())
                .build();
        Project project = admin.admin().createProject("web");
        assertThat(admin.admin().getProject(project.id()).name()).isEqualTo("web");
        assertThat(admin.admin().listProjects().data()).extracting(Project::id).contains(project.id());
        ApiKey key = admin.admin().createKey("ci", List.of("sandboxes:read"), project.id());
        assertThat(key.key()).isNotBlank();
        assertThat(admin.admin().listKeys().data()).extracting(ApiKey::id).contains(key.id());
        assertThat(admin.admin().getKey(key.id()).key())
                .as("the secret is shown once")
                .isNull();

        CrowNest user = CrowNest.builder().baseUrl(stack.url).apiKey(key.key()).build();
        assertThat(user.sandboxes().list().data()).isEmpty();
        PermissionDeniedException denied = catchThrowableOfType(
                PermissionDeniedException.class, () -> user.sandboxes().create());
        assertThat(denied.status()).isEqualTo(403);
        admin.admin().revokeKey(key.id());
        assertThat(catchThrowableOfType(
                                AuthenticationException.class,
                                () -> user.sandboxes().list())
                        .status())
                .isEqualTo(401);
    }
}
