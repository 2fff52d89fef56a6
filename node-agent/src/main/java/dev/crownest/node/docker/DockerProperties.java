package dev.crownest.node.docker;

import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The docker runtime's configuration ({@code crownest.node.docker.*}), used when
 * {@code crownest.node.runtime=docker}.
 *
 * @param host    the Docker daemon's API socket; the stack starts a daemon of its own (infra/scripts/stack.sh)
 * @param runtime the OCI runtime Docker runs sandboxes with: runsc, registered in the daemon's daemon.json
 * @param checkpoints pause and resume through docker checkpoint; off by default (409 {@code pause_unsupported}):
 *                    with Docker 20.10 and runsc the first pause and resume of a container work, but the
 *                    second checkpoint of a restored container leaves containerd's task behind, and every
 *                    later start then fails with "id already in use" (the sandbox is lost)
 */
@ConfigurationProperties("crownest.node.docker")
public record DockerProperties(URI host, String runtime, boolean checkpoints) {
    public DockerProperties {
        host = host == null ? URI.create("unix:///var/run/docker.sock") : host;
        runtime = runtime == null ? "runsc" : runtime;
    }
}
