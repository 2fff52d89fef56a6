package dev.crownest.billing.webhook;

import dev.crownest.billing.webhook.WebhookDeliveries.Claimed;
import dev.crownest.kit.seal.EnvSeal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import org.springframework.stereotype.Component;

/**
 * One attempt of one delivery: the target checked again (DNS rebinding), the body signed with the
 * endpoint's secret at the attempt's time, POSTed with short timeouts, no redirects followed and the
 * answer's body never read (only its status counts).
 */
@Component
class WebhookSender {
    private final WebhookTargets targets;
    private final WebhookSecrets secrets;
    private final WebhookProperties properties;
    private final Clock clock;
    // the attempts' own work (resolving the target, opening the secret) and the client's, off the dispatcher
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient http;

    WebhookSender(WebhookTargets targets, WebhookSecrets secrets, WebhookProperties properties, Clock clock) {
        this.targets = targets;
        this.secrets = secrets;
        this.properties = properties;
        this.clock = clock;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                // straight to the address the check saw: a proxy would resolve the name again itself
                .proxy(HttpClient.Builder.NO_PROXY)
                .connectTimeout(properties.connectTimeout())
                .executor(executor)
                .build();
    }

    /** How an attempt went: a status ({@code null} when there was no answer) and, on failure, why. */
    record Outcome(Integer status, String error) {
        static Outcome answered(int status) {
            return new Outcome(status, status / 100 == 2 ? null : "the receiver answered " + status);
        }

        boolean delivered() {
            return status != null && error == null;
        }
    }

    CompletableFuture<Outcome> send(Claimed delivery) {
        return CompletableFuture.supplyAsync(() -> attempt(delivery), executor).thenCompose(attempt -> attempt);
    }

    private CompletableFuture<Outcome> attempt(Claimed delivery) {
        URI uri = URI.create(delivery.url());
        try {
            targets.check(uri);
        } catch (WebhookTargets.RefusedTarget e) {
            return CompletableFuture.completedFuture(new Outcome(null, e.getMessage()));
        }
        String secret;
        try {
            secret = secrets.open(delivery.endpointId(), delivery.sealedSecret());
        } catch (EnvSeal.SealException e) {
            return CompletableFuture.completedFuture(new Outcome(null, e.getMessage()));
        }
        long now = clock.instant().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(properties.requestTimeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "CrowNest-Webhooks/1")
                .header(WebhookSignature.EVENT_ID_HEADER, delivery.eventId())
                .header(WebhookSignature.EVENT_TYPE_HEADER, delivery.eventType())
                .header(WebhookSignature.HEADER, WebhookSignature.header(secret, now, delivery.payload()))
                .POST(HttpRequest.BodyPublishers.ofString(delivery.payload()))
                .build();
        return http.sendAsync(request, info -> new Unread())
                .handle((response, failure) -> failure == null
                        ? Outcome.answered(response.statusCode())
                        : new Outcome(null, describe(failure)));
    }

    private static String describe(Throwable failure) {
        Throwable cause =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** Drops the answer's body unread: a receiver cannot hold a sender with an endless one. */
    private static final class Unread implements BodySubscriber<Void> {
        private final CompletableFuture<Void> body = new CompletableFuture<>();

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.cancel();
            body.complete(null);
        }

        @Override
        public void onNext(List<ByteBuffer> item) {}

        @Override
        public void onError(Throwable throwable) {
            body.complete(null);
        }

        @Override
        public void onComplete() {
            body.complete(null);
        }

        @Override
        public CompletionStage<Void> getBody() {
            return body;
        }
    }
}
