package dev.crownest.sandbox.tenant;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.api.SignupSettings;
import dev.crownest.contracts.api.SignupView;
import dev.crownest.contracts.api.TenantView;
import dev.crownest.contracts.security.Scopes;
import dev.crownest.kit.caller.Caller;
import dev.crownest.sandbox.credential.SecretHashes;
import dev.crownest.sandbox.key.IssueApiKey;
import dev.crownest.sandbox.naming.ResourceIds;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Self-service sign-up: {@code POST /internal/signup} makes a tenant on the sign-up plan with its first
 * admin session and an API key of every tenant scope, from the hashes of the secrets the gateway made
 * (the gateway rate-limits the public route per address). {@code GET/PUT /internal/settings/signup} is
 * the operator's switch; closed, a sign-up is 403 {@code signup_disabled}.
 */
@RestController
class SignupController {
    static final String ACTOR = "system:signup";
    static final String KEY_NAME = "signup";

    /** The gateway's call: the person's name and email, and the hashes of the two secrets it will show. */
    record SignupBody(String name, String email, String adminTokenHash, String apiKeyHash) {}

    private final TenantRegistry registry;
    private final SignupSwitch signups;
    private final SignupProperties properties;
    private final CommandGateway commands;

    SignupController(
            TenantRegistry registry, SignupSwitch signups, SignupProperties properties, CommandGateway commands) {
        this.registry = registry;
        this.signups = signups;
        this.properties = properties;
        this.commands = commands;
    }

    @PostMapping("/internal/signup")
    ResponseEntity<SignupView> signUp(@Caller.NoTenant Caller caller, @RequestBody SignupBody body) {
        if (!signups.enabled()) {
            throw ApiException.forbidden("signup_disabled", "sign-up is closed on this platform; ask its operator");
        }
        if (body.email() == null) {
            throw ApiException.badRequest("invalid_email", "email is required");
        }
        SecretHashes.require(body.apiKeyHash(), "apiKeyHash");
        TenantView tenant =
                registry.register(body.name(), properties.plan(), body.email(), body.adminTokenHash(), ACTOR);
        String keyId = ResourceIds.key();
        commands.sendAndWait(new IssueApiKey(keyId, tenant.id(), KEY_NAME, Scopes.ALL, null, body.apiKeyHash(), ACTOR));
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(new SignupView(
                        tenant.id(),
                        tenant.name(),
                        tenant.email(),
                        tenant.plan(),
                        tenant.createdAt(),
                        tenant.adminSessionId(),
                        null, // the secrets are the gateway's to show
                        keyId,
                        null));
    }

    @GetMapping("/internal/settings/signup")
    SignupSettings settings(@Caller.NoTenant Caller caller) {
        return new SignupSettings(signups.enabled());
    }

    @PutMapping("/internal/settings/signup")
    SignupSettings set(@Caller.NoTenant Caller caller, @RequestBody SignupSettings body) {
        if (body == null || body.enabled() == null) {
            throw ApiException.badRequest("invalid_setting", "send {\"enabled\": true} or {\"enabled\": false}");
        }
        signups.set(body.enabled(), caller.actorOrUnknown());
        return new SignupSettings(signups.enabled());
    }
}
