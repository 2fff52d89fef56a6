package dev.crownest.node.network;

import dev.crownest.contracts.api.ApiException;
import org.springframework.http.HttpStatus;

/** The node could not build or tear down a sandbox's network (ip, nft or the proxy failed). */
public class NetworkSetupException extends ApiException {
    public NetworkSetupException(String message) {
        super(HttpStatus.INTERNAL_SERVER_ERROR.value(), "node", "network_setup_failed", message);
    }
}
