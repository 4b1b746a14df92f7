/**
 * Small PAGI applications to run with {@code pagi-jetty-runner --app NAME} (see {@link
 * dev.pagi.runner.examples.Examples}) or to read: each is one class with a public no-arg
 * constructor. {@link dev.pagi.runner.examples.Demo} is the page the launcher serves by default.
 */
package dev.pagi.runner.examples;
