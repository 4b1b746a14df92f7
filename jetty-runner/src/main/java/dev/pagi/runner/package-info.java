/**
 * The embedded Jetty 12 launcher: {@link dev.pagi.runner.PagiServer} for embedding and {@link
 * dev.pagi.runner.Main}, the {@code pagi-jetty-runner} command line over it.
 *
 * <pre>{@code
 * try (PagiServer server = PagiServer.builder().app(app).port(0).build().start()) {
 *   System.out.println(server.uri());
 *   server.awaitStop();
 * }
 * }</pre>
 */
package dev.pagi.runner;
