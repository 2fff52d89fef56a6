package dev.crownest.node.runsc;

import dev.crownest.contracts.api.ApiException;
import org.springframework.http.HttpStatus;

/** runsc refused or failed; the message is runsc's own, answered to the control plane as a node error. */
public class RunscException extends ApiException {
    public RunscException(String message) {
        super(HttpStatus.INTERNAL_SERVER_ERROR.value(), "node", "runsc_failed", message);
    }
}
