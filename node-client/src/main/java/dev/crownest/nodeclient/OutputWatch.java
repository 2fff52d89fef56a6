package dev.crownest.nodeclient;

import dev.crownest.nodeclient.protocol.ExecFrames;
import reactor.core.publisher.Flux;

/** A watch of a command's output in place on its node: the frames to come, or a way to give it up unread. */
public record OutputWatch(Flux<ExecFrames.Frame> frames, Runnable cancel) {}
