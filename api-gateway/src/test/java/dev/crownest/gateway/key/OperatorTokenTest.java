package dev.crownest.gateway.key;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crownest.gateway.GatewayProperties;
import org.junit.jupiter.api.Test;

class OperatorTokenTest {

    @Test
    void recognizesTheOperatorByTheHashOfTheBearerToken() {
        OperatorToken operator =
                new OperatorToken(properties(SecretHash.of("cn_admin_s3cret").toUpperCase()));
        assertThat(operator.isOperator("Bearer cn_admin_s3cret")).isTrue();
        assertThat(operator.isOperator("bearer cn_admin_s3cret")).isTrue();
        assertThat(operator.isOperator("Bearer cn_admin_other")).isFalse();
        assertThat(operator.isOperator("Basic cn_admin_s3cret")).isFalse();
        assertThat(operator.isOperator(null)).isFalse();
    }

    @Test
    void withoutAConfiguredHashNobodyIsTheOperator() {
        OperatorToken operator = new OperatorToken(properties(""));
        assertThat(operator.isOperator("Bearer ")).isFalse();
        assertThat(operator.isOperator("Bearer anything")).isFalse();
    }

    private static GatewayProperties properties(String adminTokenHash) {
        return new GatewayProperties(null, null, null, null, new GatewayProperties.Bootstrap(adminTokenHash), null);
    }
}
