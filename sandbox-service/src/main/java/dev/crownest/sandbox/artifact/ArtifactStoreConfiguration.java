package dev.crownest.sandbox.artifact;

import java.io.IOException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The artifact store of this deployment: the local file system (one machine); S3 would be another bean. */
@Configuration(proxyBeanMethods = false)
class ArtifactStoreConfiguration {

    @Bean
    ArtifactStore artifactStore(ArtifactProperties properties) throws IOException {
        return new LocalFilesystemArtifactStore(properties.dir());
    }
}
