package dev.crownest.kit.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crownest.contracts.api.ApiError;
import dev.crownest.contracts.security.InternalHeaders;
import dev.crownest.contracts.security.ServiceTokens;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The door of every internal (servlet) service: a request without a valid service token gets 401 in
 * the one error shape before any controller, converter or other filter sees it. It covers every path
 * the service serves, present and future, except {@code GET /actuator/health[/...]}, which the stack
 * polls and which answers only {@code {"status":"UP"}} (no details, no components).
 */
public class ServiceAuthFilter extends OncePerRequestFilter {
    /** Request attribute holding the calling service's name once its token was accepted. */
    public static final String CALLER = "dev.crownest.kit.auth.caller";

    private static final Logger log = LoggerFactory.getLogger(ServiceAuthFilter.class);
    /** Health and its groups, spelled plainly: no dot segments, escapes or parameters can widen it. */
    private static final Pattern HEALTH = Pattern.compile("/actuator/health(/[a-z0-9-]+)*");

    private final ServiceTokens tokens;
    private final ObjectMapper json;

    public ServiceAuthFilter(ServiceTokens tokens, ObjectMapper json) {
        this.tokens = tokens;
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (isHealth(request)) {
            chain.doFilter(request, response);
            return;
        }
        switch (tokens.verify(request.getHeader(InternalHeaders.SERVICE_TOKEN))) {
            case ServiceTokens.Accepted accepted -> {
                request.setAttribute(CALLER, accepted.service());
                chain.doFilter(request, response);
            }
            case ServiceTokens.Refused refused -> {
                log.warn(
                        "refused {} {} from {}: {}",
                        request.getMethod(),
                        request.getRequestURI(),
                        request.getRemoteAddr(),
                        refused.code());
                response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
                response.setContentType(MediaType.APPLICATION_JSON_VALUE);
                json.writeValue(
                        response.getOutputStream(),
                        ApiError.of(
                                "authentication",
                                refused.code(),
                                refused.reason(),
                                request.getHeader(InternalHeaders.REQUEST_ID)));
            }
        }
    }

    private static boolean isHealth(HttpServletRequest request) {
        return "GET".equals(request.getMethod())
                && HEALTH.matcher(request.getRequestURI()).matches();
    }
}
