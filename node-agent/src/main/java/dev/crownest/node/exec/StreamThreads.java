package dev.crownest.node.exec;

import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.web.servlet.config.annotation.AsyncSupportConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The threads that write streamed answers: a running command's ({@link ExecController}), an output
 * watch's, a file's. Each holds its thread until the stream ends, for as long as the command runs.
 * Spring's default executor for them has 8 threads and then a queue, so a ninth command waited until
 * one of eight long ones ended (22 s for an {@code echo} beside ten {@code sleep 25}). A virtual thread
 * each has no such bound.
 */
@Configuration(proxyBeanMethods = false)
class StreamThreads implements WebMvcConfigurer {
    @Override
    public void configureAsyncSupport(AsyncSupportConfigurer configurer) {
        SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("stream-");
        executor.setVirtualThreads(true);
        configurer.setTaskExecutor(executor);
    }
}
