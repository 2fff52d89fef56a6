package dev.crownest.node.template;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Custom template builds ({@code crownest.node.template-build.*}): {@code stepTimeout} is the longest one
 * step may run (a step past it fails the build, named); {@code outputCapBytes} is how much of each
 * step's output the log keeps (its tail).
 */
@ConfigurationProperties("crownest.node.template-build")
public record TemplateBuildProperties(
        @DefaultValue("10m") Duration stepTimeout,
        @DefaultValue("16384") int outputCapBytes) {}
