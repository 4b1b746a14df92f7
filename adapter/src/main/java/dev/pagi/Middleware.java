package dev.pagi;

import java.util.function.UnaryOperator;

/**
 * A layer around a {@link PagiApp}: takes the inner application and returns the outer one.
 *
 * <p>A middleware that changes the scope must pass a copy to the inner application ({@link
 * Scope#with}), never mutate the map it received. A middleware may also wrap {@link Receive} and
 * {@link Send} to observe or transform events.
 *
 * <pre>{@code
 * Middleware requestId = inner -> (scope, receive, send) ->
 *     inner.call(Scope.with(scope, "myapp.request_id", UUID.randomUUID().toString()), receive, send);
 * PagiApp app = hello.with(requestId);
 * }</pre>
 */
@FunctionalInterface
public interface Middleware extends UnaryOperator<PagiApp> {}
