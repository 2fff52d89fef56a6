package dev.crownest.contracts.api;

import java.util.List;

/** A list answer: {@code {"data":[...]}}, with room for a cursor. */
public record Page<T>(List<T> data, String nextCursor) {}
