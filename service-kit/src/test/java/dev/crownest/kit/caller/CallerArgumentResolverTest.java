package dev.crownest.kit.caller;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.crownest.contracts.security.InternalHeaders;
import dev.crownest.kit.ApiErrorAdvice;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.junit.jupiter.web.SpringJUnitWebConfig;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.WebApplicationContext;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;

/** A controller's {@link Caller} parameter as the kit's configuration resolves it from the internal headers. */
@SpringJUnitWebConfig(CallerArgumentResolverTest.Web.class)
class CallerArgumentResolverTest {

    @Configuration(proxyBeanMethods = false)
    @EnableWebMvc
    @Import({CallerConfiguration.class, ApiErrorAdvice.class, Echo.class})
    static class Web {}

    /** Answers the Caller it was given. */
    @RestController
    static class Echo {
        @GetMapping("/tenant-scoped")
        Map<String, Object> scoped(Caller caller) {
            return describe(caller);
        }

        @GetMapping("/platform")
        Map<String, Object> platform(@Caller.NoTenant Caller caller) {
            return describe(caller);
        }

        private static Map<String, Object> describe(Caller caller) {
            Map<String, Object> described = new LinkedHashMap<>();
            described.put("tenant", caller.tenant());
            described.put("project", caller.project());
            described.put("actor", caller.actorOrUnknown());
            described.put("actorOrOperator", caller.actorOr("operator"));
            described.put("requestId", caller.requestId());
            return described;
        }
    }

    private MockMvc mvc;

    @BeforeEach
    void setUp(@Autowired WebApplicationContext context) {
        mvc = MockMvcBuilders.webAppContextSetup(context).build();
    }

    @Test
    void everyInternalHeaderReachesTheCaller() throws Exception {
        mvc.perform(get("/tenant-scoped")
                        .header(InternalHeaders.TENANT_ID, "ten_1")
                        .header(InternalHeaders.PROJECT_ID, "prj_1")
                        .header(InternalHeaders.ACTOR, "key_1")
                        .header(InternalHeaders.REQUEST_ID, "req_1"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.tenant").value("ten_1"))
                .andExpect(jsonPath("$.project").value("prj_1"))
                .andExpect(jsonPath("$.actor").value("key_1"))
                .andExpect(jsonPath("$.actorOrOperator").value("key_1"))
                .andExpect(jsonPath("$.requestId").value("req_1"));
    }

    @Test
    void blankOrAbsentProjectAndActorAreNone() throws Exception {
        mvc.perform(get("/tenant-scoped")
                        .header(InternalHeaders.TENANT_ID, "ten_1")
                        .header(InternalHeaders.PROJECT_ID, " ")
                        .header(InternalHeaders.ACTOR, ""))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.project").isEmpty())
                .andExpect(jsonPath("$.actor").value(Caller.UNKNOWN_ACTOR))
                .andExpect(jsonPath("$.actorOrOperator").value("operator"))
                .andExpect(jsonPath("$.requestId").isEmpty());
    }

    @Test
    void aCallWithoutTenantIsRefusedAsUnauthenticated() throws Exception {
        mvc.perform(get("/tenant-scoped").header(InternalHeaders.REQUEST_ID, "req_2"))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.error.type").value("authentication"))
                .andExpect(jsonPath("$.error.code").value("missing_tenant"))
                .andExpect(jsonPath("$.error.requestId").value("req_2"));
    }

    @Test
    void aBlankTenantIsNoTenant() throws Exception {
        mvc.perform(get("/tenant-scoped").header(InternalHeaders.TENANT_ID, "  "))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.error.code").value("missing_tenant"));
    }

    @Test
    void aPlatformRouteTakesACallWithoutTenant() throws Exception {
        mvc.perform(get("/platform").header(InternalHeaders.ACTOR, "operator"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.tenant").isEmpty())
                .andExpect(jsonPath("$.actor").value("operator"));
    }
}
