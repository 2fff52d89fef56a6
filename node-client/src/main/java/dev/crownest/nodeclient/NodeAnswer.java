package dev.crownest.nodeclient;

import org.springframework.http.HttpStatusCode;

/** A small successful JSON answer of a node agent, passed on as it came: its status and body (maybe empty). */
public record NodeAnswer(HttpStatusCode status, byte[] body) {}
