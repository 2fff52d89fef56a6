package dev.crownest.kit;

import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.web.servlet.config.annotation.AsyncSupportConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The threads that write streamed answers of the servlet services: the node agent's running commands,
 * output watches and files, the usage and audit exports. Each holds its thread until its stream ends,
 * for a command as long as it runs. Spring's default executor for them has 8 threads and then a queue,
 * so a ninth command waited until one of eight long ones ended (22 s for an {@code echo} beside ten
 * {@code sleep 25}). A virtual thread each has no such bound.
 */
@Configuration(proxyBeanMethods = false)
public class StreamThreads implements WebMvcConfigurer {
    @Override
    public void configureAsyncSupport(AsyncSupportConfigurer configurer) {
        SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("stream-");
        executor.setVirtualThreads(true);
        configurer.setTaskExecutor(executor);
    }
}
