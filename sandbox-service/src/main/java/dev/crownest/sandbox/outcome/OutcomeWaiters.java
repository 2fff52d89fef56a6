package dev.crownest.sandbox.outcome;

import dev.crownest.contracts.node.SandboxChange;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.stereotype.Component;

/**
 * HTTP calls that answer only once something happened (a sandbox started, a command finished) park
 * here. A caller registers BEFORE dispatching its command, so an outcome that arrives first is not lost.
 */
@Component
public class OutcomeWaiters {
    private final ConcurrentMap<String, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();

    /** Starts waiting for {@code key}; always pair with {@link #forget}. */
    public CompletableFuture<Void> register(String key) {
        return pending.computeIfAbsent(key, k -> new CompletableFuture<>());
    }

    /** Wakes whoever waits for {@code key}; nobody waiting is fine. */
    public void complete(String key) {
        CompletableFuture<Void> future = pending.get(key);
        if (future != null) {
            future.complete(null);
        }
    }

    /**
     * Wakes the waiter once the current unit of work has committed, so what it reads next is there;
     * outside a unit of work at once.
     */
    public void completeAfterCommit(String key) {
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().root().afterCommit(uow -> complete(key));
        } else {
            complete(key);
        }
    }

    public static String sandboxSettled(String sandboxId) {
        return "sandbox:" + sandboxId;
    }

    /** A pause, resume or TTL change the node has carried out (or refused). */
    public static String sandboxChanged(String sandboxId, SandboxChange change) {
        return "sandbox:" + sandboxId + ":" + change.report();
    }

    public static String commandFinished(String commandId) {
        return "command:" + commandId;
    }

    /** Waits up to {@code timeout}; true if the outcome arrived. */
    public boolean await(CompletableFuture<Void> future, Duration timeout) {
        try {
            future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return false;
        }
    }

    public void forget(String key) {
        pending.remove(key);
    }
}
