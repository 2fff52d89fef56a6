package dev.crownest.kit.caller;

import dev.crownest.contracts.api.ApiException;
import dev.crownest.contracts.security.InternalHeaders;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/** Reads a {@link Caller} parameter from the internal headers; a call without a tenant is 401 {@code missing_tenant}. */
public class CallerArgumentResolver implements HandlerMethodArgumentResolver {

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == Caller.class;
    }

    @Override
    public Caller resolveArgument(
            MethodParameter parameter,
            ModelAndViewContainer mavContainer,
            NativeWebRequest request,
            WebDataBinderFactory binderFactory) {
        Caller caller = new Caller(
                request.getHeader(InternalHeaders.TENANT_ID),
                request.getHeader(InternalHeaders.PROJECT_ID),
                request.getHeader(InternalHeaders.ACTOR),
                request.getHeader(InternalHeaders.REQUEST_ID));
        if (caller.tenant() == null && !parameter.hasParameterAnnotation(Caller.NoTenant.class)) {
            throw ApiException.unauthenticated(
                    "missing_tenant", "no tenant on an internal call (" + InternalHeaders.TENANT_ID + ")");
        }
        return caller;
    }
}
